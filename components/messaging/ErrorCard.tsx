import type { DeadLetterFull } from "./types";

/** The error the consumer gave up with, and its stack. */
export function ErrorCard({ dl }: { dl: DeadLetterFull }) {
  return (
    <section className="panel panel-pad" data-testid="error">
      <h3>Error</h3>
      <p className="msg-error-full">
        <span className="msg-error-type">{dl.errorType}</span> {dl.errorMessage}
      </p>
      {dl.stack ? (
        <pre className="msg-code msg-stack" data-testid="stack" tabIndex={0}>
          {dl.stack}
        </pre>
      ) : (
        <p className="muted small">No stack was recorded.</p>
      )}
    </section>
  );
}
