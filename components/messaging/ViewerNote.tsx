/** Why a viewer sees no action buttons. */
export function ViewerNote({ what = "Replaying, editing and discarding" }: { what?: string }) {
  return (
    <div className="msg-viewer-note" data-testid="viewer-note">
      You are signed in as a viewer: you can look around, but {what.toLowerCase()} need the engineer role.
    </div>
  );
}
