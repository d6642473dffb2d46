import type pg from "pg";
import { PrismaClient } from "@/prisma/telemetry/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The telemetry module's Prisma client: it can only see the `telemetry` schema (spans are written by COPY). */
export type TelemetryDb = InstanceType<typeof PrismaClient>;

/** Creates the telemetry client on the process's shared pool. */
export function createTelemetryDb(pool: pg.Pool): TelemetryDb {
  return serviceClient(PrismaClient, pool, "telemetry");
}
