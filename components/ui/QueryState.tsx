import type { ReactNode } from "react";

type QueryLike = { isLoading: boolean; error: { message: string; data?: { code?: string } | null } | null };

/** Loading and error states for a query; renders children once data is there. */
export function QueryState({
  query,
  children,
  what,
  back,
}: {
  query: QueryLike;
  children: ReactNode;
  what: string;
  back?: { href: string; label: string };
}) {
  if (query.isLoading) return <div className="state">Loading {what}…</div>;
  if (query.error) {
    if (query.error.data?.code === "UNAUTHORIZED") {
      return (
        <div className="state">
          Your session has ended. <a href="/login">Sign in</a> to see {what}.
        </div>
      );
    }
    return (
      <div className="state error" role="alert">
        Could not load {what}: {query.error.message}
        {back && (
          <p>
            <a href={back.href}>{back.label}</a>
          </p>
        )}
      </div>
    );
  }
  return <>{children}</>;
}
