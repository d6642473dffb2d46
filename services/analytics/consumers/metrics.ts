import type { Envelope } from "@/server/messaging/envelope";
import { type BatchContext, defineConsumer, type SqlTx } from "@/server/messaging/registry";
import { domainEvents } from "@/services/events";
import { type Folded, foldEvents, METRIC_EVENT_TYPES } from "../metrics/fold";

const eventTypes = Object.values(METRIC_EVENT_TYPES);
const known = new Set<string>(eventTypes);

/** Writes folded increments with one multi-row upsert per read-model table. */
export async function applyFolded(tx: SqlTx, f: Folded): Promise<void> {
  if (f.usage.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO analytics.usage_daily AS u (day, subject_type, subject_id, metric, count)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::int[])
       ON CONFLICT (day, subject_type, subject_id, metric) DO UPDATE SET count = u.count + EXCLUDED.count`,
      f.usage.map((r) => r.day),
      f.usage.map((r) => r.subjectType),
      f.usage.map((r) => r.subjectId),
      f.usage.map((r) => r.metric),
      f.usage.map((r) => r.count),
    );
  }
  if (f.promptRuns.length) {
    const r = f.promptRuns;
    await tx.$executeRawUnsafe(
      `INSERT INTO analytics.prompt_runs_daily AS r
         (day, model, outcome, template_id, project_id, runs, prompt_tokens, completion_tokens, cost_usd, latency_ms_sum, latency_ms_max)
       SELECT d, m, o, t, p, n, pt, ct, c / 1000000, ls, lm
         FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::bigint[], $9::numeric[], $10::float8[], $11::float8[])
           AS x(d, m, o, t, p, n, pt, ct, c, ls, lm)
       ON CONFLICT (day, model, outcome, template_id, project_id) DO UPDATE SET
         runs = r.runs + EXCLUDED.runs,
         prompt_tokens = r.prompt_tokens + EXCLUDED.prompt_tokens,
         completion_tokens = r.completion_tokens + EXCLUDED.completion_tokens,
         cost_usd = r.cost_usd + EXCLUDED.cost_usd,
         latency_ms_sum = r.latency_ms_sum + EXCLUDED.latency_ms_sum,
         latency_ms_max = GREATEST(r.latency_ms_max, EXCLUDED.latency_ms_max)`,
      r.map((x) => x.day),
      r.map((x) => x.model),
      r.map((x) => x.outcome),
      r.map((x) => x.templateId),
      r.map((x) => x.projectId),
      r.map((x) => x.runs),
      r.map((x) => x.promptTokens),
      r.map((x) => x.completionTokens),
      r.map((x) => x.costMicros),
      r.map((x) => x.latencyMsSum),
      r.map((x) => x.latencyMsMax),
    );
  }
  if (f.aiErrors.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO analytics.ai_errors_daily AS e (day, model, error_code, count)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int[])
       ON CONFLICT (day, model, error_code) DO UPDATE SET count = e.count + EXCLUDED.count`,
      f.aiErrors.map((r) => r.day),
      f.aiErrors.map((r) => r.model),
      f.aiErrors.map((r) => r.errorCode),
      f.aiErrors.map((r) => r.count),
    );
  }
  if (f.subjects.length) {
    const s = f.subjects;
    // Each field keeps the value of the newest aggregate version seen: a late, older event changes nothing.
    await tx.$executeRawUnsafe(
      `INSERT INTO analytics.subjects AS s
         (subject_type, subject_id, name, name_version, status, status_version, template_id, members, members_version, first_seen_at, last_event_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::int[], $9::int[], $10::timestamptz[], $11::timestamptz[])
       ON CONFLICT (subject_type, subject_id) DO UPDATE SET
         name = CASE WHEN EXCLUDED.name_version > s.name_version THEN EXCLUDED.name ELSE s.name END,
         name_version = GREATEST(s.name_version, EXCLUDED.name_version),
         status = CASE WHEN EXCLUDED.status_version > s.status_version THEN EXCLUDED.status ELSE s.status END,
         status_version = GREATEST(s.status_version, EXCLUDED.status_version),
         template_id = COALESCE(s.template_id, EXCLUDED.template_id),
         members = CASE WHEN EXCLUDED.members_version > s.members_version THEN EXCLUDED.members ELSE s.members END,
         members_version = GREATEST(s.members_version, EXCLUDED.members_version),
         first_seen_at = LEAST(s.first_seen_at, EXCLUDED.first_seen_at),
         last_event_at = GREATEST(s.last_event_at, EXCLUDED.last_event_at)`,
      s.map((x) => x.subjectType),
      s.map((x) => x.subjectId),
      s.map((x) => x.name),
      s.map((x) => x.nameVersion),
      s.map((x) => x.status),
      s.map((x) => x.statusVersion),
      s.map((x) => x.templateId),
      s.map((x) => x.members),
      s.map((x) => x.membersVersion),
      s.map((x) => x.firstSeenAt),
      s.map((x) => x.lastEventAt),
    );
  }
}

async function apply({ tx, deliveries }: BatchContext<SqlTx>): Promise<void> {
  const envelopes: Envelope[] = deliveries.map((d) => d.envelope);
  await applyFolded(tx, foldEvents(envelopes));
}

/**
 * analytics.metrics: template, project, prompt-run and error events into the metrics read models
 * (`usage_daily`, `prompt_runs_daily`, `ai_errors_daily`, `subjects`), served as `/metrics` and used by
 * usage reports. Counters are exact because the inbox applies each event once; names and states ignore
 * stale aggregate versions. Plain SQL, one multi-row upsert per table per batch.
 */
export const metricsConsumer = defineConsumer<SqlTx>({
  name: "analytics.metrics",
  service: "analytics",
  eventTypes,
  payloads: Object.fromEntries(domainEvents.filter((e) => known.has(e.type)).map((e) => [e.type, e.payload])),
  transaction: "sql",
  attempts: 5,
  async handle({ tx, envelope, delivery, log }) {
    await apply({ tx, deliveries: [{ envelope, delivery }], log });
  },
  handleBatch: apply,
  async reset(tx) {
    await tx.$executeRawUnsafe(`TRUNCATE analytics.usage_daily, analytics.prompt_runs_daily, analytics.ai_errors_daily, analytics.subjects`);
  },
});
