import type pg from "pg";
import type { TelemetryConfig } from "@/server/config";
import { dayOf, deleteUnusedResources, dropExpiredSpanPartitions, ensureDayPartitions } from "./store";

export type TelemetryMaintenanceReport = { partitionsCreated: string[]; partitionsDropped: string[]; resourcesDeleted: number };

/**
 * The span store's housekeeping (the worker's scheduled `telemetry.maintain` job): day partitions from
 * today to SPAN_PARTITIONS_AHEAD_DAYS ahead are created, those past SPAN_RETENTION_DAYS dropped whole, and
 * resources no span of the kept days can refer to (not seen since the first day kept) deleted.
 * Idempotent, and safe to run from several workers at once.
 */
export async function runTelemetryMaintenance(
  db: Pick<pg.Pool, "query">,
  settings: Pick<TelemetryConfig, "retentionDays" | "partitionsAheadDays">,
  now = new Date(),
): Promise<TelemetryMaintenanceReport> {
  const today = dayOf(now);
  const days = Array.from({ length: settings.partitionsAheadDays + 1 }, (_, i) => today + i);
  const partitionsCreated = await ensureDayPartitions(db, days);
  const partitionsDropped = await dropExpiredSpanPartitions(db, now, settings.retentionDays);
  const resourcesDeleted = await deleteUnusedResources(db, new Date((today - settings.retentionDays) * 86_400_000));
  return { partitionsCreated, partitionsDropped, resourcesDeleted };
}
