import type pg from "pg";
import { PrismaClient } from "@/prisma/portal/client/client.ts";
import { serviceClient } from "./client";

/** The portal's runtime tables (worker heartbeats, idempotency keys): the `portal` schema. */
export type PortalDb = InstanceType<typeof PrismaClient>;

/** Creates the portal client on the process's shared pool. */
export function createPortalDb(pool: pg.Pool): PortalDb {
  return serviceClient(PrismaClient, pool, "portal");
}
