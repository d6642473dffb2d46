import { randomUUID } from "node:crypto";
import { type PortalClient, waitUntil } from "./portal-client";
import { POSTMORTEM_BODY, POSTMORTEM_VARS } from "../../services/templates/samples";

export { POSTMORTEM_BODY, POSTMORTEM_VARS };

/**
 * The end-to-end scenarios of the Templator services, as a user or CI would drive them through the
 * gateway. Each throws with a reason when the portal does not behave; `npm run synthetic` runs them all.
 */
export type Scenario = { name: string; run(c: Clients): Promise<string> };
export type Clients = { engineer: PortalClient; viewer: PortalClient; tag: string };

type Rec = Record<string, unknown>;

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

async function createTemplate(c: PortalClient, slug: string, extra: Rec = {}): Promise<Rec> {
  return (await c.rest<Rec>("POST", "/templates", { body: { slug, title: `Postmortem ${slug}`, body: POSTMORTEM_BODY, variables: POSTMORTEM_VARS, ...extra }, expect: [201] })).body;
}

async function sagaOutcome(c: PortalClient, sagaId: string): Promise<Rec> {
  return waitUntil(`saga ${sagaId} to finish`, 60_000, async () => {
    const run = await c.query<Rec>("sagas.get", { id: sagaId });
    return ["completed", "compensated", "failed"].includes(run.status as string) ? run : undefined;
  });
}

async function feed(c: PortalClient, query: string): Promise<Rec[]> {
  return ((await c.rest<{ items: Rec[] }>("GET", `/events?${query}`, { expect: [200] })).body.items ?? []) as Rec[];
}

export const scenarios: Scenario[] = [
  {
    name: "templates: create, change (new version), read back over REST",
    async run({ engineer, tag }) {
      const slug = `synthetic-${tag}-lifecycle`;
      const t = await createTemplate(engineer, slug);
      const changed = (await engineer.rest<Rec>("PATCH", `/templates/${slug}`, { body: { body: `${POSTMORTEM_BODY}\n\n## Lessons\nWhat we learned.`, changelog: "Lessons section" }, expect: [200] })).body;
      check(changed.headVersion === 2, `expected version 2, got ${String(changed.headVersion)}`);
      const read = (await engineer.rest<Rec>("GET", `/templates/${t.id as string}?version=1`, { expect: [200] })).body;
      check((read.current as Rec).version === 1, "version 1 is not readable any more");
      return `template ${slug} at version 2`;
    },
  },
  {
    name: "publication saga: a good template passes the quality gate and is published",
    async run({ engineer, tag }) {
      const slug = `synthetic-${tag}-publish`;
      const t = await createTemplate(engineer, slug);
      const started = (await engineer.rest<Rec>("POST", `/templates/${slug}/publish`, { body: {}, headers: { "x-correlation-id": `synthetic-${tag}-publish` }, expect: [202] })).body;
      const run = await sagaOutcome(engineer, started.sagaId as string);
      check(run.status === "completed", `saga ${String(run.status)}: ${String(run.error)}`);
      const after = (await engineer.rest<Rec>("GET", `/templates/${slug}`, { expect: [200] })).body;
      check(after.status === "published", `template is ${String(after.status)}`);
      await waitUntil("TemplatePublished in the event feed", 30_000, async () => (await feed(engineer, `aggregateId=${t.id as string}&type=TemplatePublished`)).length > 0);
      return `saga ${started.sagaId as string} completed; quality ${String((run.data as Rec).qualityScore)}`;
    },
  },
  {
    name: "publication saga: a sloppy template is turned down and compensated",
    async run({ engineer, tag }) {
      const slug = `synthetic-${tag}-sloppy`;
      await engineer.rest("POST", "/templates", { body: { slug, title: "Sloppy", body: "todo {{x}}", variables: [{ name: "x" }, { name: "unused" }] }, expect: [201] });
      const started = (await engineer.rest<Rec>("POST", `/templates/${slug}/publish`, { body: {}, expect: [202] })).body;
      const run = await sagaOutcome(engineer, started.sagaId as string);
      check(run.status === "compensated", `saga ${String(run.status)}, expected compensated`);
      const after = (await engineer.rest<Rec>("GET", `/templates/${slug}`, { expect: [200] })).body;
      check(after.status === "draft", `template is ${String(after.status)}, expected back to draft`);
      return String(run.error);
    },
  },
  {
    name: "ai: analyze finds problems and scores a good template higher",
    async run({ engineer }) {
      const good = (await engineer.rest<Rec>("POST", "/ai/analyze", { body: { body: POSTMORTEM_BODY, variables: POSTMORTEM_VARS }, expect: [200] })).body;
      const bad = (await engineer.rest<Rec>("POST", "/ai/analyze", { body: { body: "todo {{x}} {name}", variables: [{ name: "y" }] }, expect: [200] })).body;
      check((good.qualityScore as number) > (bad.qualityScore as number), `good ${String(good.qualityScore)} <= bad ${String(bad.qualityScore)}`);
      check((bad.problems as unknown[]).length > 0, "no problems found in a bad template");
      return `scores ${String(good.qualityScore)} vs ${String(bad.qualityScore)}`;
    },
  },
  {
    name: "ai: generate fills a template and the prompt run reaches analytics",
    async run({ engineer, tag }) {
      const t = await createTemplate(engineer, `synthetic-${tag}-generate`);
      const corr = `synthetic-${tag}-generate`;
      const out = (
        await engineer.rest<Rec>("POST", "/ai/generate", {
          body: { templateId: t.id, inputs: { title: "Queue backlog", date: "2026-11-01", service: "assets", impact: "Uploads were slow for 20 minutes" } },
          headers: { "x-correlation-id": corr },
          expect: [200],
        })
      ).body;
      check(typeof out.text === "string" && out.text.includes("Queue backlog"), "the generated text does not contain the input");
      await waitUntil("PromptRunRecorded in the feed", 30_000, async () => (await feed(engineer, `correlationId=${corr}&type=PromptRunRecorded`)).length > 0);
      return `run ${String((out.run as Rec).id)}, ${String((out.run as Rec).completionTokens)} tokens`;
    },
  },
  {
    name: "assets: upload, download, and find its text through retrieval",
    async run({ engineer, tag }) {
      const word = `zebracorn${tag.replace(/[^a-z0-9]/gi, "")}`;
      const text = `# Runbook ${word}\n\nWhen the ${word} alarm fires, drain the queue and restart the consumer.\n`;
      const up = await engineer.rest<Rec>("POST", "/assets", { raw: text, headers: { "content-type": "text/markdown", "x-file-name": `runbook-${tag}.md` }, expect: [201] });
      const id = up.body.id as string;
      const down = await engineer.rest<string>("GET", `/assets/${id}/content`, { expect: [200] });
      check(down.body === text || String(down.body).includes(word), "downloaded bytes differ");
      const rag = await waitUntil("the asset to be indexed", 30_000, async () => {
        const r = (await engineer.rest<Rec>("POST", "/ai/rag/query", { body: { question: `what to do when ${word} fires` }, expect: [200] })).body;
        return (r.citations as Rec[]).some((c) => c.sourceId === id) ? r : undefined;
      });
      return `cited in: ${String(rag.answer).slice(0, 60)}…`;
    },
  },
  {
    name: "project from a template: projects -> ai starter content -> analytics, one correlation chain",
    async run({ engineer, tag }) {
      const t = await createTemplate(engineer, `synthetic-${tag}-project`);
      const corr = `synthetic-${tag}-project`;
      const p = (await engineer.rest<Rec>("POST", "/projects", { body: { name: `Synthetic ${tag}`, templateId: t.id }, headers: { "x-correlation-id": corr }, expect: [201] })).body;
      const chain = await waitUntil("ProjectCreated and the starter's PromptRunRecorded under one correlation id", 45_000, async () => {
        const events = await feed(engineer, `correlationId=${corr}`);
        const types = events.map((e) => String(e.eventType).split(".").pop());
        return types.includes("ProjectCreated") && types.includes("PromptRunRecorded") ? types : undefined;
      });
      const starter = (await engineer.rest<Rec>("GET", `/ai/projects/${p.id as string}/starter`, { expect: [200] })).body;
      check(starter.outcome === "success", `starter outcome ${String(starter.outcome)}`);
      return `chain: ${chain.join(" -> ")}`;
    },
  },
  {
    name: "analytics: metrics count what happened; a usage report downloads as CSV",
    async run({ engineer }) {
      const m = (await engineer.rest<Rec>("GET", "/metrics", { expect: [200] })).body;
      const usage = (m.totals as Rec).usage as Record<string, number>;
      check(Object.values(usage).some((n) => n > 0), "metrics are all zero");
      const day = new Date().toISOString().slice(0, 10);
      const r = (await engineer.rest<Rec>("POST", "/reports", { body: { from: day, to: day }, expect: [202] })).body;
      const id = (r.id ?? r.reportId) as string;
      await waitUntil("the report to be ready", 45_000, async () => (await engineer.rest<Rec>("GET", `/reports/${id}`, { expect: [200] })).body.status === "ready");
      const csv = await engineer.rest<string>("GET", `/reports/${id}/csv`, { expect: [200] });
      check(String(csv.headers.get("content-type")).includes("text/csv"), "the report is not CSV");
      return `${String(csv.body).split("\n").length - 1} CSV lines`;
    },
  },
  {
    name: "gateway: bad input, unknown ids and missing rights get 4xx with a reason",
    async run({ engineer, viewer, tag }) {
      const bad = await engineer.rest<Rec>("POST", "/templates", { body: { slug: "Not A Slug", title: "" } });
      check(bad.status === 400 && Array.isArray((bad.body.error as Rec).issues), `invalid input got ${bad.status}`);
      const missing = await engineer.rest<Rec>("GET", `/templates/${randomUUID()}`);
      check(missing.status === 404, `unknown template got ${missing.status}`);
      const denied = await viewer.rest<Rec>("POST", "/templates", { body: { slug: `synthetic-${tag}-viewer`, title: "x", body: "x" } });
      check(denied.status === 403, `a viewer's write got ${denied.status}`);
      return "400, 404, 403";
    },
  },
];

/** Runs every scenario; returns one line per scenario and whether all passed. */
export async function runScenarios(clients: Clients, only?: RegExp): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const s of scenarios.filter((x) => !only || only.test(x.name))) {
    const started = performance.now();
    try {
      const detail = await s.run(clients);
      lines.push(`PASS  ${s.name}  (${Math.round(performance.now() - started)} ms) — ${detail}`);
    } catch (err) {
      ok = false;
      lines.push(`FAIL  ${s.name}  (${Math.round(performance.now() - started)} ms) — ${(err as Error).message}`);
    }
    console.log(lines[lines.length - 1]);
  }
  return { ok, lines };
}
