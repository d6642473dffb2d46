import type pg from "pg";
import { PrismaClient } from "@/prisma/analytics/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The analytics service's Prisma client: it can only see the `analytics` schema. */
export type AnalyticsDb = InstanceType<typeof PrismaClient>;

/** Creates the analytics service's client on the process's shared pool. */
export function createAnalyticsDb(pool: pg.Pool): AnalyticsDb {
  return serviceClient(PrismaClient, pool, "analytics");
}
