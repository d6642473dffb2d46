import type { Job } from "bullmq";
import type { AppContext } from "@/server/app";
import type { Logger } from "@/server/logger";
import { runReplayOperation } from "@/server/messaging/dead-letters/actions";
import { runEventReplay } from "@/server/messaging/event-replay";
import { runMaintenance } from "@/server/messaging/maintenance";
import { buildSubscriptions } from "@/server/messaging/registry";
import { serviceClients } from "@/server/messaging/runtime";
import { syncCatalog } from "@/services/catalog/sync";
import { messagingRegistry } from "./consumers";
import type { JobData, JobName } from "./jobs";

export type JobContext = { app: AppContext; job: Job; log: Logger; signal: AbortSignal };
type Handler<N extends JobName> = (data: JobData<N>, ctx: JobContext) => Promise<unknown>;

const subscriptions = buildSubscriptions(messagingRegistry);

/** One thin handler per job: parse is done by the runtime, the work by service code. */
export const handlers: { [N in JobName]: Handler<N> } = {
  "catalog.sync": async (data, { app, job }) =>
    syncCatalog(app.db.catalog, { rootDir: app.config.rootDir, trigger: data.trigger, jobId: job.id }),
  "messaging.dlq-replay": async (data, { app }) =>
    runReplayOperation({ db: app.db.messaging, queues: app.queues, subscriptions }, data.operationId),
  "messaging.event-replay": async (data, { app }) =>
    runEventReplay({ db: app.db.messaging, pool: app.pool, queues: app.queues, subscriptions, clients: serviceClients(app) }, data.operationId),
  "messaging.maintain": async (_data, { app }) => runMaintenance(app),
};
