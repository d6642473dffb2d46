import type { AuthDb } from "./db";

/** A team as the catalog shows it next to the services it owns. */
export type TeamSummary = {
  slug: string;
  name: string;
  description: string | null;
  onCall: string | null;
  chatChannel: string | null;
  members: { name: string; email: string; role: string }[];
};

/** Teams by slug (the catalog's `owner` names); unknown slugs are left out. */
export async function getTeamsBySlug(db: AuthDb, slugs: string[]): Promise<TeamSummary[]> {
  if (slugs.length === 0) return [];
  const rows = await db.team.findMany({
    where: { slug: { in: slugs } },
    select: {
      slug: true,
      name: true,
      description: true,
      onCall: true,
      chatChannel: true,
      memberships: {
        select: { role: true, user: { select: { name: true, email: true } } },
        orderBy: [{ role: "asc" }, { createdAt: "asc" }],
      },
    },
  });
  return rows.map((t) => ({
    slug: t.slug,
    name: t.name,
    description: t.description,
    onCall: t.onCall,
    chatChannel: t.chatChannel,
    members: t.memberships.map((m) => ({ name: m.user.name, email: m.user.email, role: m.role })),
  }));
}
