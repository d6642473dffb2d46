"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";

/** The local development login: pick one of the seeded users. */
export function DevLogin({ next }: { next: string | undefined }) {
  const trpc = useTRPC();
  const users = useQuery(trpc.auth.devUsers.queryOptions());
  return (
    <>
      <p className="muted" style={{ marginTop: 4 }}>
        Local development login — choose a seeded user. Not for production.
      </p>
      <QueryState query={users} what="users">
        {users.data?.length === 0 && <p className="state">No users yet: the demo data has not been loaded.</p>}
        {users.data?.map((u) => (
          <form key={u.id} action="/api/auth/dev-login" method="post">
            <input type="hidden" name="userId" value={u.id} />
            {next && <input type="hidden" name="next" value={next} />}
            <button type="submit" className="user-pick" data-email={u.email}>
              <span>
                <strong>{u.name}</strong> <span className="muted small">{u.email}</span>
                <div className="muted small">{u.teams.join(", ")}</div>
              </span>
              <span className="badge badge-neutral">{u.roles.join(", ")}</span>
            </button>
          </form>
        ))}
      </QueryState>
    </>
  );
}
