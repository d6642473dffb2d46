import type { TestProject } from "vitest/node";
import { TEST_PG_URL } from "../helpers/env";
import { ensureTemplateDatabase } from "./template-db";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Integration tests: build (or reuse) the migrated template database once per run. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide("templateDatabase", await ensureTemplateDatabase(TEST_PG_URL));
}
