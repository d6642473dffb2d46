import type pg from "pg";
import type { DestinationStream } from "pino";
import { createAiDb, type AiDb } from "@/services/ai/db";
import { createAnalyticsDb, type AnalyticsDb } from "@/services/analytics/db";
import { createAssetsDb, type AssetsDb } from "@/services/assets/db";
import { createAuthDb, type AuthDb } from "@/services/auth/db";
import { createCatalogDb, type CatalogDb } from "@/services/catalog/db";
import { createContractsDb, type ContractsDb } from "@/services/contracts/db";
import { createProjectsDb, type ProjectsDb } from "@/services/projects/db";
import { createTemplatesDb, type TemplatesDb } from "@/services/templates/db";
import { type Config, getConfig, requireDatabaseUrl, requireQueue } from "./config";
import { createPool } from "./db/pool";
import { createMessagingDb, type MessagingDb } from "./db/messaging";
import { createPortalDb, type PortalDb } from "./db/portal";
import { createLogger, type Logger } from "./logger";
import { createQueueBackend, type QueueBackend } from "./queue/backend";

/**
 * The composition root: one per process (web, worker) or per test file. It owns the connections;
 * each service receives only its own Prisma client from it.
 */
export type AppContext = {
  config: Config;
  log: Logger;
  pool: pg.Pool;
  db: {
    auth: AuthDb;
    templates: TemplatesDb;
    ai: AiDb;
    projects: ProjectsDb;
    assets: AssetsDb;
    analytics: AnalyticsDb;
    catalog: CatalogDb;
    contracts: ContractsDb;
    portal: PortalDb;
    messaging: MessagingDb;
  };
  queues: QueueBackend;
  close(): Promise<void>;
};

/** Builds the context for a process named `name` ("web", "worker", a script or a test). */
export function createAppContext(
  config: Config,
  name: string,
  opts: { logDestination?: DestinationStream } = {},
): AppContext {
  const pool = createPool(requireDatabaseUrl(config), config.databasePoolMax);
  const db = {
    auth: createAuthDb(pool),
    templates: createTemplatesDb(pool),
    ai: createAiDb(pool),
    projects: createProjectsDb(pool),
    assets: createAssetsDb(pool),
    analytics: createAnalyticsDb(pool),
    catalog: createCatalogDb(pool),
    contracts: createContractsDb(pool),
    portal: createPortalDb(pool),
    messaging: createMessagingDb(pool),
  };
  const queues = createQueueBackend(requireQueue(config));
  const log = createLogger({ level: config.logLevel, name: `switchyard-${name}`, destination: opts.logDestination });
  let closed: Promise<void> | undefined;
  return {
    config,
    log,
    pool,
    db,
    queues,
    close() {
      closed ??= (async () => {
        await queues.close();
        await Promise.allSettled(Object.values(db).map((c) => c.$disconnect()));
        await pool.end();
      })();
      return closed;
    },
  };
}

const GLOBAL_KEY = Symbol.for("switchyard.app");

/** The web process's context, created on first use from the environment (kept across dev reloads). */
export function getAppContext(): AppContext {
  const g = globalThis as unknown as Record<symbol, AppContext | undefined>;
  return (g[GLOBAL_KEY] ??= createAppContext(getConfig(), "web"));
}
