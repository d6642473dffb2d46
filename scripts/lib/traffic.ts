import { randomUUID } from "node:crypto";
import { PortalClient } from "./portal-client";
import { POSTMORTEM_BODY, POSTMORTEM_VARS } from "./scenarios";

/**
 * The demo's traffic: realistic Templator data made through the gateway, then a bounded stream of
 * calls across every service — including refused calls and a few poison messages — so that the
 * catalog, sagas, dead letters, analytics and traces have something to show. Idempotent enough to
 * run on every start (existing slugs are skipped). Stops by itself after `rounds`.
 */
type T = { slug: string; title: string; description: string; body: string; variables: { name: string; type?: string; description?: string }[]; publish?: boolean };

const v = (name: string, description: string, type = "string") => ({ name, type, description });

const TEMPLATES: T[] = [
  { slug: "incident-postmortem", title: "Incident postmortem", description: "Blameless review of an incident", body: POSTMORTEM_BODY, variables: POSTMORTEM_VARS, publish: true },
  {
    slug: "service-onboarding",
    title: "Service onboarding checklist",
    description: "Everything a new service needs before its first production deploy",
    body: "# Onboarding {{service}}\n\n## Ownership\nOwner team: {{team}}. On-call rotation: {{rotation}}.\n\n## Observability\nTraces export over OTLP; RED dashboards and SLOs are set up.\n\n## Contracts\nOpenAPI and event schemas are committed and checked in CI.\n\n{{> sign-off}}",
    variables: [v("service", "Service name"), v("team", "Owning team"), v("rotation", "On-call rotation name")],
    publish: true,
  },
  {
    slug: "rfc",
    title: "Request for comments",
    description: "Propose a change that affects more than one team",
    body: "# RFC: {{title}}\n\n## Problem\n{{problem}}\n\n## Proposal\n{{proposal}}\n\n## Alternatives\nWhat else was considered, and why not.\n\n## Rollout\nSteps, flags and the way back.",
    variables: [v("title", "Title"), v("problem", "What hurts today", "text"), v("proposal", "What we would do", "text")],
    publish: true,
  },
  {
    slug: "release-notes",
    title: "Release notes",
    description: "What changed in a release, for users",
    body: "# {{product}} {{version}}\n\n## Highlights\n{{highlights}}\n\n## Fixes\nBugs fixed in this release.\n\n## Upgrade notes\nAnything users must do.",
    variables: [v("product", "Product"), v("version", "Version"), v("highlights", "The big things", "text")],
    publish: true,
  },
  {
    slug: "customer-incident-email",
    title: "Customer incident e-mail",
    description: "Tell customers about an incident, plainly",
    body: "# {{subject}}\n\nHello {{customer}},\n\nOn {{date}} some requests to {{product}} failed. {{impact}}\n\n## What we did\nWe restored service and are preventing it from happening again.\n\n{{> sign-off}}",
    variables: [v("subject", "Subject line"), v("customer", "Customer name"), v("date", "When"), v("product", "Product"), v("impact", "What they saw", "text")],
    publish: true,
  },
  {
    slug: "weekly-status",
    title: "Weekly status",
    description: "A team's week in five minutes",
    body: "# Week {{week}} — {{team}}\n\n## Done\n{{done}}\n\n## Next\n{{next}}\n\n## Risks\nAnything that could slip.",
    variables: [v("week", "ISO week"), v("team", "Team"), v("done", "Shipped", "text"), v("next", "Planned", "text")],
  },
  // Too thin to pass the quality gate: its publication saga is turned down and compensated.
  { slug: "quick-note", title: "Quick note", description: "", body: "TODO: write this up for {customer} {{x}}", variables: [v("x", "anything"), v("unused", "never used")], publish: true },
];

const RUNBOOK = `# Runbook: outbox backlog\n\nWhen the outbox pending count grows for ten minutes, check the dispatcher's logs first.\nIf Redis was flushed, the redelivery sweep re-enqueues what was sent but not consumed.\nDrain the backlog by scaling workers; never delete pending rows.\n`;
const SLO_DOC = `# SLO policy\n\nEvery production service has an availability SLO of 99.5% over 30 days and a latency SLO.\nBurn-rate alerts page at 14.4x over one hour and five minutes, and open a ticket at 6x over six hours.\n`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDemoTraffic(
  base: string,
  opts: { rounds?: number; pauseMs?: number; log?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<void> {
  const log = opts.log ?? ((l: string) => console.log(`[traffic] ${l}`));
  // Checked between steps: a stopping portal ends the traffic at the next one.
  const go = () => opts.signal?.throwIfAborted();
  const priya = await PortalClient.signIn(base, "priya.raman@templator.dev");
  const mateo = await PortalClient.signIn(base, "mateo.alvarez@templator.dev");
  const kenji = await PortalClient.signIn(base, "kenji.watanabe@templator.dev");
  const amara = await PortalClient.signIn(base, "amara.okafor@templator.dev");
  const jonas = await PortalClient.signIn(base, "jonas.meyer@templator.dev");

  await priya.rest("POST", "/modules", { body: { slug: "sign-off", title: "Sign-off", body: "## Sign-off\nApproved by {{approver}}.", variables: [v("approver", "Who approves")] } });
  const ids: Record<string, string> = {};
  for (const t of TEMPLATES) {
    go();
    const created = await priya.rest<{ id?: string }>("POST", "/templates", { body: { slug: t.slug, title: t.title, description: t.description, body: t.body, variables: t.variables } });
    const existing = created.status === 201 ? created.body : (await priya.rest<{ id?: string; status?: string }>("GET", `/templates/${t.slug}`)).body;
    if (existing.id) ids[t.slug] = existing.id;
    if (created.status === 201 && t.publish) await priya.rest("POST", `/templates/${t.slug}/publish`, { body: {}, headers: { "x-correlation-id": `demo-publish-${t.slug}` } });
  }
  log(`templates: ${Object.keys(ids).length}`);
  for (const [name, text] of [
    ["runbook-outbox-backlog.md", RUNBOOK],
    ["slo-policy.md", SLO_DOC],
  ] as const) {
    const listed = await priya.rest<{ items?: { fileName: string }[] }>("GET", "/assets?limit=100");
    if (!(listed.body.items ?? []).some((a) => a.fileName === name)) {
      await priya.rest("POST", "/assets", { raw: text, headers: { "content-type": "text/markdown", "x-file-name": name } });
    }
  }
  go();
  const projects = await kenji.rest<{ items?: unknown[] }>("GET", "/projects?limit=1");
  if ((projects.body.items ?? []).length === 0) {
    for (const [name, slug] of [
      ["Checkout outage review", "incident-postmortem"],
      ["Payments onboarding", "service-onboarding"],
      ["Search v2 proposal", "rfc"],
    ] as const) {
      if (ids[slug]) await kenji.rest("POST", "/projects", { body: { name, templateId: ids[slug], description: `Demo project from ${slug}` }, headers: { "x-correlation-id": `demo-project-${randomUUID().slice(0, 8)}` } });
    }
  }
  go();
  await amara.mutate("chaos.poison", { kind: "invalid-asset-upload", count: 2 }).catch((e: unknown) => log(`poison skipped: ${(e as Error).message}`));
  await amara.mutate("chaos.poison", { kind: "invalid-prompt-run", count: 1 }).catch(() => {});

  const questions = ["what to do when the outbox backlog grows", "burn rate alert thresholds", "how to write a postmortem timeline", "rollout plan for an RFC"];
  const slugs = Object.keys(ids);
  const rounds = opts.rounds ?? 40;
  for (let i = 0; i < rounds; i++) {
    go();
    const slug = slugs[i % slugs.length]!;
    const calls: Promise<unknown>[] = [
      priya.rest("GET", "/templates?limit=25"),
      jonas.rest("GET", `/templates/${slug}`),
      mateo.rest("POST", "/ai/rag/query", { body: { question: questions[i % questions.length] } }),
      mateo.rest("POST", "/ai/analyze", { body: { templateId: ids[slug], body: TEMPLATES.find((t) => t.slug === slug)?.body ?? "x" } }),
      kenji.rest("GET", "/projects?limit=10"),
      priya.rest("GET", "/metrics"),
      priya.rest("GET", "/events?limit=20"),
    ];
    if (i % 3 === 0) calls.push(mateo.rest("POST", "/ai/generate", { body: { templateId: ids[slug], inputs: { title: `Demo ${i}`, service: "checkout", team: "Workspace" } }, headers: { "x-correlation-id": `demo-generate-${i}` } }));
    // Refused on purpose: they show up as 4xx in RED metrics and traces.
    if (i % 4 === 1) calls.push(jonas.rest("POST", "/templates", { body: { slug: `viewer-try-${i}`, title: "nope", body: "x" } }));
    if (i % 4 === 2) calls.push(priya.rest("GET", `/templates/${randomUUID()}`));
    if (i % 5 === 3) calls.push(priya.rest("POST", "/projects", { body: { name: "", templateId: "no-such-template" } }));
    if (i % 10 === 5) calls.push(priya.rest("PATCH", `/templates/weekly-status`, { body: { description: `Updated in round ${i}` } }));
    await Promise.allSettled(calls);
    await sleep(opts.pauseMs ?? 1500);
  }
  go();
  if (rounds > 0) {
    const day = new Date().toISOString().slice(0, 10);
    await priya.rest("POST", "/reports", { body: { from: day, to: day } });
  }
  log(`done: ${rounds} rounds`);
}
