import type pg from "pg";
import { PrismaClient } from "@/prisma/templates/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The templates service's Prisma client: it can only see the `templates` schema. */
export type TemplatesDb = InstanceType<typeof PrismaClient>;

/** Creates the templates service's client on the process's shared pool. */
export function createTemplatesDb(pool: pg.Pool): TemplatesDb {
  return serviceClient(PrismaClient, pool, "templates");
}
