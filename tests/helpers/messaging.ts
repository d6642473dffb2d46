import type { TestApp } from "./test-app";
import { defineConsumer, type ConsumerDefinition, type SqlTx } from "@/server/messaging/registry";
import { upsertIfNewer } from "@/server/messaging/read-model";
import { PoisonMessageError } from "@/server/messaging/consumer";
import { z } from "zod";

export const TEMPLATE_UPDATED = "templator.events.v1.templates.TemplateUpdated";
export const TEMPLATE_PUBLISHED = "templator.events.v1.templates.TemplatePublished";

/** Tables a test consumer writes its effects to, in the analytics schema of the test's own database. */
export async function createEffectTables(app: TestApp): Promise<void> {
  await app.pool.query(`
    CREATE TABLE IF NOT EXISTS analytics.test_effects (
      id bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL, aggregate_id text NOT NULL,
      aggregate_version int NOT NULL, delivery text NOT NULL, title text);
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
    ...opts,
    async handle({ tx, envelope, delivery }) {
      const p = envelope.payload as { title?: string; fail?: number; poison?: boolean };
      if (p.poison) throw new PoisonMessageError("this event can never be applied");
      const broken = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM analytics.test_broken WHERE aggregate_id = $1`, envelope.aggregateId);
      if (broken.length > 0) throw new Error(`aggregate ${envelope.aggregateId} is marked broken`);
      if (p.fail) {
        const seen = failures.get(envelope.eventId) ?? 0;
        if (seen < p.fail) {
          failures.set(envelope.eventId, seen + 1);
          throw new Error(`simulated failure ${seen + 1} of ${p.fail} for ${envelope.eventId}`);
        }
      }
      await tx.$executeRawUnsafe(
        `INSERT INTO analytics.test_effects (consumer, event_id, aggregate_id, aggregate_version, delivery, title) VALUES ($1, $2, $3, $4, $5, $6)`,
        name, envelope.eventId, envelope.aggregateId, envelope.aggregateVersion, delivery, p.title ?? null,
      );
      await upsertIfNewer(tx, "analytics.test_projection", { aggregateId: envelope.aggregateId, version: envelope.aggregateVersion, values: { title: p.title ?? null } });
    },
    async reset(tx) {
      await tx.$executeRawUnsafe(`DELETE FROM analytics.test_projection`);
    },
  });
}
