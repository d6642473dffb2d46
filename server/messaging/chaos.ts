import { randomUUID } from "node:crypto";
import type pg from "pg";
import { OUTBOX_CHANNEL } from "./outbox";

/** The kinds of poison message an operator can inject, each breaking a consumer in its own way. */
export const POISON_KINDS = ["invalid-asset-upload", "invalid-prompt-run"] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/**
 * Fault injection for demos and resilience drills: writes events that no consumer can accept straight
 * into an outbox, past the outbox's own schema check — as a buggy or older producer would. The
 * dispatcher publishes them; the consumers dead-letter them; the DLQ console shows them. Enabled only
 * where CHAOS_ENABLED allows (never by default in production). Returns the event ids.
 */
export async function injectPoison(pool: pg.Pool, kind: PoisonKind, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const [service, eventType, payload] =
    kind === "invalid-asset-upload"
      ? (["assets", "templator.events.v1.assets.AssetUploaded", (i: number) => ({ assetId: `not-a-uuid-${i}`, fileName: "", contentType: "text/plain", sizeBytes: -1 })] as const)
      : (["ai", "templator.events.v1.ai.PromptRunRecorded", (i: number) => ({ runId: randomUUID(), model: "local", promptTokens: `many-${i}`, outcome: "exploded" })] as const);
  await pool.query(
    `INSERT INTO "${service}".outbox (id, aggregate_id, aggregate_version, event_type, version, payload, occurred_at)
     SELECT id, 'chaos-' || id::text, 1, $2, 1, p, now() FROM unnest($1::uuid[], $3::jsonb[]) AS t(id, p)`,
    [ids, eventType, ids.map((_, i) => JSON.stringify(payload(i)))],
  );
  await pool.query(`SELECT pg_notify($1, $2)`, [OUTBOX_CHANNEL, service]);
  return ids;
}
