import type { AuthDb } from "./db";

/** Demo teams and people: the owners named by the services' catalog-info.yaml files, and the dev-login users. */
export const DEMO_TEAMS = [
  {
    slug: "team-identity",
    name: "Identity",
    description: "Sign-in, users, teams and roles for every Templator surface.",
    onCall: "identity-primary@templator.dev",
    chatChannel: "#team-identity",
  },
  {
    slug: "team-templates",
    name: "Templates Guild",
    description: "Template authoring, versions, modules and the publishing workflow.",
    onCall: "templates-primary@templator.dev",
    chatChannel: "#team-templates",
  },
  {
    slug: "team-ai",
    name: "Applied AI",
    description: "Template analysis, generation and retrieval over template and asset text.",
    onCall: "ai-primary@templator.dev",
    chatChannel: "#team-applied-ai",
  },
  {
    slug: "team-workspace",
    name: "Workspace",
    description: "Projects created from templates, and the people who work in them.",
    onCall: "workspace-primary@templator.dev",
    chatChannel: "#team-workspace",
  },
  {
    slug: "team-platform",
    name: "Platform",
    description: "Storage, queues, the portal itself and the shared runtime.",
    onCall: "platform-primary@templator.dev",
    chatChannel: "#team-platform",
  },
  {
    slug: "team-insights",
    name: "Insights",
    description: "Product analytics: usage, prompt runs, costs and reports.",
    onCall: "insights-primary@templator.dev",
    chatChannel: "#team-insights",
  },
] as const;

type TeamSlug = (typeof DEMO_TEAMS)[number]["slug"];

export const DEMO_USERS: {
  email: string;
  name: string;
  roles: string[];
  teams: { slug: TeamSlug; role: "lead" | "member" }[];
}[] = [
  { email: "amara.okafor@templator.dev", name: "Amara Okafor", roles: ["admin", "engineer"], teams: [{ slug: "team-platform", role: "lead" }] },
  { email: "sofia.novak@templator.dev", name: "Sofia Novak", roles: ["engineer"], teams: [{ slug: "team-identity", role: "lead" }] },
  { email: "priya.raman@templator.dev", name: "Priya Raman", roles: ["engineer"], teams: [{ slug: "team-templates", role: "lead" }] },
  { email: "mateo.alvarez@templator.dev", name: "Mateo Alvarez", roles: ["engineer"], teams: [{ slug: "team-ai", role: "lead" }, { slug: "team-templates", role: "member" }] },
  { email: "lena.fischer@templator.dev", name: "Lena Fischer", roles: ["engineer"], teams: [{ slug: "team-ai", role: "member" }] },
  { email: "kenji.watanabe@templator.dev", name: "Kenji Watanabe", roles: ["engineer"], teams: [{ slug: "team-workspace", role: "lead" }] },
  { email: "noah.berg@templator.dev", name: "Noah Berg", roles: ["engineer"], teams: [{ slug: "team-platform", role: "member" }, { slug: "team-workspace", role: "member" }] },
  { email: "yara.haddad@templator.dev", name: "Yara Haddad", roles: ["engineer"], teams: [{ slug: "team-insights", role: "lead" }] },
  { email: "jonas.meyer@templator.dev", name: "Jonas Meyer", roles: ["viewer"], teams: [{ slug: "team-insights", role: "member" }] },
];

/** Inserts or refreshes the demo teams and users; running it again changes nothing. */
export async function seedDemoIdentities(db: AuthDb): Promise<{ teams: number; users: number }> {
  await db.$transaction(async (tx) => {
    const teamIds = new Map<string, string>();
    for (const t of DEMO_TEAMS) {
      const row = await tx.team.upsert({ where: { slug: t.slug }, create: { ...t }, update: { ...t } });
      teamIds.set(t.slug, row.id);
    }
    for (const u of DEMO_USERS) {
      const user = await tx.user.upsert({
        where: { email: u.email },
        create: { email: u.email, name: u.name, roles: u.roles },
        update: { name: u.name, roles: u.roles },
      });
      for (const m of u.teams) {
        const teamId = teamIds.get(m.slug)!;
        await tx.membership.upsert({
          where: { userId_teamId: { userId: user.id, teamId } },
          create: { userId: user.id, teamId, role: m.role },
          update: { role: m.role },
        });
      }
    }
  });
  return { teams: DEMO_TEAMS.length, users: DEMO_USERS.length };
}
