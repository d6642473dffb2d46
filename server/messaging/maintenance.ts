import type { AppContext } from "../app";
import { dropExpiredPartitions, ensurePartitions } from "./event-store";
import { pruneSent } from "./outbox-admin";

export type MaintenanceReport = {
  partitionsCreated: string[];
  partitionsDropped: string[];
  outboxPruned: number;
  idempotencyKeysExpired: number;
};

/**
 * The messaging backbone's housekeeping (a scheduled worker job): month partitions of the event store
 * created ahead and dropped past retention, SENT outbox rows pruned, expired idempotency keys deleted.
 */
export async function runMaintenance(app: AppContext, now = new Date()): Promise<MaintenanceReport> {
  const m = app.config.messaging;
  const partitionsCreated = await ensurePartitions(app.pool, now, m.eventStoreMonthsAhead);
  const partitionsDropped = await dropExpiredPartitions(app.pool, now, m.eventStoreRetentionMonths);
  const outboxPruned = await pruneSent(app.pool, m.outboxSentRetentionHours);
  const expired = await app.db.portal.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  return { partitionsCreated, partitionsDropped, outboxPruned, idempotencyKeysExpired: expired.count };
}
