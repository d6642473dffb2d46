import type pg from "pg";
import { PrismaClient } from "@/prisma/messaging/client/client.ts";
import { serviceClient } from "./client";

/** The messaging backbone's tables (event store, dead letters, operations): the `messaging` schema. */
export type MessagingDb = InstanceType<typeof PrismaClient>;

/** Creates the messaging client on the process's shared pool. */
export function createMessagingDb(pool: pg.Pool): MessagingDb {
  return serviceClient(PrismaClient, pool, "messaging");
}
