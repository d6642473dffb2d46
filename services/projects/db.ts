import type pg from "pg";
import { PrismaClient } from "@/prisma/projects/client/client.ts";
import { serviceClient } from "@/server/db/client";

/** The projects service's Prisma client: it can only see the `projects` schema. */
export type ProjectsDb = InstanceType<typeof PrismaClient>;

/** Creates the projects service's client on the process's shared pool. */
export function createProjectsDb(pool: pg.Pool): ProjectsDb {
  return serviceClient(PrismaClient, pool, "projects");
}
