import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "@/prisma/catalog/client/client.ts";

/** The catalog's Prisma client: it can only see the `catalog` schema. */
export type CatalogDb = InstanceType<typeof PrismaClient>;

/** Creates the catalog's client on the process's shared pool. */
export function createCatalogDb(pool: pg.Pool): CatalogDb {
  return new PrismaClient({ adapter: new PrismaPg(pool, { schema: "catalog" }) });
}
