import type { SagaRegistry } from "@/server/sagas/engine";
import { publishTemplateSaga } from "@/services/templates/publish-saga";
import { enqueueJob } from "./jobs";

/** Every orchestrated saga, declared in code; each step try runs as a "saga.step" job. */
export const sagaRegistry: SagaRegistry = {
  sagas: [publishTemplateSaga as never],
  async enqueue(queues, job, delayMs) {
    await enqueueJob(queues, "saga.step", job, { jobId: `saga-${job.instanceId}-${job.phase}-${job.index}-${job.attempt}`, delay: delayMs });
  },
};
