import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "@/prisma/auth/client/client.ts";

/** The auth service's Prisma client: it can only see the `auth` schema. */
export type AuthDb = InstanceType<typeof PrismaClient>;

/** Creates the auth service's client on the process's shared pool. */
export function createAuthDb(pool: pg.Pool): AuthDb {
  return new PrismaClient({ adapter: new PrismaPg(pool, { schema: "auth" }) });
}
