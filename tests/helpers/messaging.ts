import type { TestApp } from "./test-app";
import { type BatchContext, defineConsumer, type ConsumerDefinition, type SqlTx } from "@/server/messaging/registry";
import { PoisonMessageError } from "@/server/messaging/consumer";
import { z } from "zod";

export const TEMPLATE_UPDATED = "templator.events.v1.templates.TemplateUpdated";
export const TEMPLATE_PUBLISHED = "templator.events.v1.templates.TemplatePublished";

/** Tables a test consumer writes its effects to, in the analytics schema of the test's own database. */
export async function createEffectTables(app: TestApp): Promise<void> {
  await app.pool.query(`
    CREATE TABLE IF NOT EXISTS analytics.test_effects (
      id bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL, aggregate_id text NOT NULL,
      aggregate_version int NOT NULL, delivery text NOT NULL, title text, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE TABLE IF NOT EXISTS analytics.test_projection (aggregate_id text PRIMARY KEY, version int NOT NULL, title text);
    CREATE TABLE IF NOT EXISTS analytics.test_broken (aggregate_id text PRIMARY KEY);`);
}

export type EffectRow = { consumer: string; event_id: string; aggregate_id: string; aggregate_version: number; delivery: string; title: string | null };

/** Every effect applied, in the order they were applied. */
export async function effects(app: TestApp, consumer?: string): Promise<EffectRow[]> {
  const res = await app.pool.query<EffectRow>(
    `SELECT consumer, event_id, aggregate_id, aggregate_version, delivery, title FROM analytics.test_effects
      WHERE $1::text IS NULL OR consumer = $1 ORDER BY id`,
    [consumer ?? null],
  );
  return res.rows;
}

/**
 * A consumer that logs each effect and keeps a version-aware projection. Payload `{ fail: n }` makes
 * it throw on the first n deliveries of that event (counted outside the rolled-back transaction);
 * `{ poison: true }` makes it throw a PoisonMessageError; an aggregate listed in `analytics.test_broken`
 * fails every delivery until it is removed from there.
 */
export function effectConsumer(name = "analytics.test", opts: Partial<ConsumerDefinition> = {}): ConsumerDefinition {
  const failures = new Map<string, number>();
  return defineConsumer<SqlTx>({
    name,
    service: "analytics",
    eventTypes: [TEMPLATE_UPDATED, TEMPLATE_PUBLISHED],
    payloads: { [TEMPLATE_PUBLISHED]: z.object({ title: z.string(), templateId: z.string().uuid() }) },
    attempts: 3,
    backoffMs: 20,
    transaction: "sql",
    ...opts,
    async handle({ tx, envelope, delivery, log }) {
      await applyBatch({ tx, deliveries: [{ envelope, delivery }], log });
    },
    handleBatch: (ctx) => applyBatch(ctx),
    async reset(tx) {
      await tx.$executeRawUnsafe(`DELETE FROM analytics.test_projection`);
    },
  });

  // Multi-row writes, as a high-throughput read model would do; same effect as one call per event.
  async function applyBatch({ tx, deliveries }: BatchContext<SqlTx>): Promise<void> {
    const aggregates = [...new Set(deliveries.map((d) => d.envelope.aggregateId))];
    const broken = new Set(
      (await tx.$queryRawUnsafe<{ aggregate_id: string }[]>(`SELECT aggregate_id FROM analytics.test_broken WHERE aggregate_id = ANY($1)`, aggregates)).map((r) => r.aggregate_id),
    );
    for (const { envelope } of deliveries) {
      const p = envelope.payload as { fail?: number; poison?: boolean };
      if (p.poison) throw new PoisonMessageError("this event can never be applied");
      if (broken.has(envelope.aggregateId)) throw new Error(`aggregate ${envelope.aggregateId} is marked broken`);
      if (p.fail) {
        const seen = failures.get(envelope.eventId) ?? 0;
        if (seen < p.fail) {
          failures.set(envelope.eventId, seen + 1);
          throw new Error(`simulated failure ${seen + 1} of ${p.fail} for ${envelope.eventId}`);
        }
      }
    }
    const title = (d: (typeof deliveries)[number]) => ((d.envelope.payload as { title?: string }).title ?? null);
    await tx.$executeRawUnsafe(
      `INSERT INTO analytics.test_effects (consumer, event_id, aggregate_id, aggregate_version, delivery, title)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[])`,
      name,
      deliveries.map((d) => d.envelope.eventId),
      deliveries.map((d) => d.envelope.aggregateId),
      deliveries.map((d) => d.envelope.aggregateVersion),
      deliveries.map((d) => d.delivery),
      deliveries.map(title),
    );
    // The newest version per aggregate wins; an older one never overwrites a newer one.
    await tx.$executeRawUnsafe(
      `INSERT INTO analytics.test_projection (aggregate_id, version, title)
       SELECT DISTINCT ON (a) a, v, t FROM unnest($1::text[], $2::int[], $3::text[]) AS x(a, v, t) ORDER BY a, v DESC
       ON CONFLICT (aggregate_id) DO UPDATE SET version = EXCLUDED.version, title = EXCLUDED.title
       WHERE test_projection.version < EXCLUDED.version`,
      deliveries.map((d) => d.envelope.aggregateId),
      deliveries.map((d) => d.envelope.aggregateVersion),
      deliveries.map(title),
    );
  }
}
