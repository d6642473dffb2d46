import type pg from "pg";
import { PrismaClient } from "@/prisma/assets/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The assets service's Prisma client: it can only see the `assets` schema. */
export type AssetsDb = InstanceType<typeof PrismaClient>;

/** Creates the assets service's client on the process's shared pool. */
export function createAssetsDb(pool: pg.Pool): AssetsDb {
  return serviceClient(PrismaClient, pool, "assets");
}
