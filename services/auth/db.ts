import type pg from "pg";
import { PrismaClient } from "@/prisma/auth/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The auth service's Prisma client: it can only see the `auth` schema. */
export type AuthDb = InstanceType<typeof PrismaClient>;

/** Creates the auth service's client on the process's shared pool. */
export function createAuthDb(pool: pg.Pool): AuthDb {
  return serviceClient(PrismaClient, pool, "auth");
}
