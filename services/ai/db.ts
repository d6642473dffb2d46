import type pg from "pg";
import { PrismaClient } from "@/prisma/ai/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The ai service's Prisma client: it can only see the `ai` schema. */
export type AiDb = InstanceType<typeof PrismaClient>;

/** Creates the ai service's client on the process's shared pool. */
export function createAiDb(pool: pg.Pool): AiDb {
  return serviceClient(PrismaClient, pool, "ai");
}
