"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((p) => p[0] ?? "")
    .slice(0, 2)
    .join("")
    .toUpperCase();
}

/** The signed-in person, their roles, and sign-out. */
export function UserMenu() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  if (!me.data) return <div className="user-menu muted">{me.isLoading ? "…" : <a href="/login">Sign in</a>}</div>;
  return (
    <div className="user-menu" data-testid="user-menu">
      <span className="avatar" aria-hidden>
        {initials(me.data.name)}
      </span>
      <span>
        {me.data.name} <span className="muted">· {me.data.roles.join(", ")}</span>
      </span>
      {me.data.source === "dev" && (
        <form action="/api/auth/logout" method="post">
          <button type="submit">Sign out</button>
        </form>
      )}
    </div>
  );
}
