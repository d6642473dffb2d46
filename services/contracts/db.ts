import type pg from "pg";
import { PrismaClient } from "@/prisma/contracts/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The contract broker's Prisma client: it can only see the `contracts` schema. */
export type ContractsDb = InstanceType<typeof PrismaClient>;

/** Creates the contract broker's client on the process's shared pool. */
export function createContractsDb(pool: pg.Pool): ContractsDb {
  return serviceClient(PrismaClient, pool, "contracts");
}
