import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "@/prisma/portal/client/client.ts";

/** The portal's runtime tables (worker heartbeats): the `portal` schema. */
export type PortalDb = InstanceType<typeof PrismaClient>;

/** Creates the portal client on the process's shared pool. */
export function createPortalDb(pool: pg.Pool): PortalDb {
  return new PrismaClient({ adapter: new PrismaPg(pool, { schema: "portal" }) });
}
