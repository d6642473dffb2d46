import type { Job } from "bullmq";
import type { AppContext } from "@/server/app";
import type { Logger } from "@/server/logger";
import { runReplayOperation } from "@/server/messaging/dead-letters/actions";
import { runEventReplay } from "@/server/messaging/event-replay";
import { runMaintenance } from "@/server/messaging/maintenance";
import { buildSubscriptions } from "@/server/messaging/registry";
import { serviceClients } from "@/server/messaging/runtime";
import { runSagaStep } from "@/server/sagas/engine";
import { runScheduledReport, runUsageReport } from "@/services/analytics/reports/reports";
import { syncCatalog } from "@/services/catalog/sync";
import { runTelemetryMaintenance } from "@/services/telemetry/maintenance";
import { runRedRollup } from "@/services/telemetry/red";
import { messagingRegistry } from "./consumers";
import type { JobData, JobName } from "./jobs";
import { sagaRegistry } from "./sagas";

export type JobContext = { app: AppContext; job: Job; log: Logger; signal: AbortSignal };
type Handler<N extends JobName> = (data: JobData<N>, ctx: JobContext) => Promise<unknown>;

let subs: ReturnType<typeof buildSubscriptions> | undefined;
const subscriptions = () => (subs ??= buildSubscriptions(messagingRegistry));

/** One thin handler per job: parse is done by the runtime, the work by service code. */
export const handlers: { [N in JobName]: Handler<N> } = {
  "catalog.sync": async (data, { app, job }) =>
    syncCatalog(app.db.catalog, { rootDir: app.config.rootDir, trigger: data.trigger, jobId: job.id }),
  "messaging.dlq-replay": async (data, { app }) =>
    runReplayOperation({ db: app.db.messaging, queues: app.queues, subscriptions: subscriptions() }, data.operationId),
  "messaging.event-replay": async (data, { app }) =>
    runEventReplay({ db: app.db.messaging, pool: app.pool, queues: app.queues, subscriptions: subscriptions(), clients: serviceClients(app) }, data.operationId),
  "analytics.usage-report": async (data, { app, job }) => {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return data.reportId ? runUsageReport(app.db.analytics, data.reportId, { finalAttempt }) : runScheduledReport(app.db.analytics, new Date(), { finalAttempt });
  },
  "messaging.maintain": async (_data, { app }) => runMaintenance(app),
  "telemetry.maintain": async (_data, { app }) => runTelemetryMaintenance(app.pool, app.config.telemetry),
  "telemetry.rollup": async (_data, { app }) => runRedRollup(app.pool),
  "saga.step": async (data, { app }) => runSagaStep(app, sagaRegistry, data),
};
