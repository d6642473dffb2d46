import type { AuthDb } from "./db";

/** What the gateway needs to know about a signed-in person. */
export type UserIdentity = {
  id: string;
  email: string;
  name: string;
  roles: string[];
  teams: { slug: string; name: string; role: string }[];
};

const identitySelect = {
  id: true,
  email: true,
  name: true,
  roles: true,
  memberships: { select: { role: true, team: { select: { slug: true, name: true } } } },
} as const;

type IdentityRow = {
  id: string;
  email: string;
  name: string;
  roles: string[];
  memberships: { role: string; team: { slug: string; name: string } }[];
};

function toIdentity(row: IdentityRow): UserIdentity {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    teams: row.memberships.map((m) => ({ slug: m.team.slug, name: m.team.name, role: m.role })),
  };
}

/** Finds a user by id, with their roles and teams. */
export async function getUserIdentity(db: AuthDb, id: string): Promise<UserIdentity | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db.user.findUnique({ where: { id }, select: identitySelect });
  return row ? toIdentity(row) : undefined;
}

/** Finds the user linked to a Clerk user id, or else the one with the token's email. */
export async function findUserIdentityForClerk(
  db: AuthDb,
  clerkUserId: string,
  email: string | undefined,
): Promise<UserIdentity | undefined> {
  const byClerk = await db.user.findUnique({ where: { clerkUserId }, select: identitySelect });
  if (byClerk) return toIdentity(byClerk);
  if (!email) return undefined;
  const byEmail = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: identitySelect });
  return byEmail ? toIdentity(byEmail) : undefined;
}

/** Every user, for the local development login's picker. */
export async function listUsers(db: AuthDb): Promise<UserIdentity[]> {
  const rows = await db.user.findMany({ select: identitySelect, orderBy: { name: "asc" } });
  return rows.map(toIdentity);
}
