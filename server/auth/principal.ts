/** Who is calling: resolved by the gateway from a Clerk session or the local development login. */
export type Principal = {
  userId: string;
  email: string | null;
  name: string;
  roles: string[];
  teams: { slug: string; name: string; role: string }[];
  /**
   * How the caller was identified; "service" for a service calling another in-process
   * (server/service-calls.ts); "token" for a machine with a scoped API token (`API_TOKENS`).
   */
  source: "clerk" | "dev" | "service" | "token";
  /** A token's scopes (e.g. `contracts:publish`); only token principals have them. */
  scopes?: string[];
};

export const ROLES = ["viewer", "engineer", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** True when the principal holds `role` or a stronger one (admin > engineer > viewer). */
export function hasRole(principal: Principal, role: Role): boolean {
  const need = ROLES.indexOf(role);
  return principal.roles.some((r) => ROLES.indexOf(r as Role) >= need);
}

/** True when the principal is a token holding `scope`. */
export function hasScope(principal: Principal, scope: string): boolean {
  return principal.source === "token" && (principal.scopes ?? []).includes(scope);
}
