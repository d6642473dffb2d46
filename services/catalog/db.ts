import type pg from "pg";
import { PrismaClient } from "@/prisma/catalog/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The catalog's Prisma client: it can only see the `catalog` schema. */
export type CatalogDb = InstanceType<typeof PrismaClient>;

/** Creates the catalog's client on the process's shared pool. */
export function createCatalogDb(pool: pg.Pool): CatalogDb {
  return serviceClient(PrismaClient, pool, "catalog");
}
