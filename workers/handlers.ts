import type { Job } from "bullmq";
import type { AppContext } from "@/server/app";
import type { Logger } from "@/server/logger";
import { syncCatalog } from "@/services/catalog/sync";
import type { JobData, JobName } from "./jobs";

export type JobContext = { app: AppContext; job: Job; log: Logger; signal: AbortSignal };
type Handler<N extends JobName> = (data: JobData<N>, ctx: JobContext) => Promise<unknown>;

/** One thin handler per job: parse is done by the runtime, the work by service code. */
export const handlers: { [N in JobName]: Handler<N> } = {
  "catalog.sync": async (data, { app, job }) =>
    syncCatalog(app.db.catalog, { rootDir: app.config.rootDir, trigger: data.trigger, jobId: job.id }),
};
