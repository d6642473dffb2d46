import type { AppContext } from "../app";
import { DOMAIN_SCHEMAS } from "../db/schemas";
import { type ConsumerRuntime, startConsumers } from "./consumer";
import { type DispatcherLoop, startDispatcherLoop } from "./dispatcher-loop";
import type { ServiceName } from "./envelope";
import { ensurePartitions } from "./event-store";
import { redeliverMissing, registerCursors } from "./redelivery";
import { buildSubscriptions, type MessagingRegistry, type TransactionalClient } from "./registry";

export type MessagingRuntime = {
  dispatcher: DispatcherLoop | undefined;
  consumers: ConsumerRuntime | undefined;
  /** Runs the redelivery sweep for every consumer now; returns the events re-enqueued. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
};

/** Each service's client, for consumer transactions in the consumer's own schema. */
export function serviceClients(app: AppContext): Record<ServiceName, TransactionalClient> {
  const { auth, templates, ai, projects, assets, analytics } = app.db;
  return { auth, templates, ai, projects, assets, analytics } as unknown as Record<ServiceName, TransactionalClient>;
}

/**
 * The worker side of the messaging backbone: outbox dispatchers for every service, the declared
 * consumers, and the redelivery sweep that makes Redis data loss harmless.
 */
export async function startMessaging(
  app: AppContext,
  registry: MessagingRegistry,
  opts: { dispatch?: boolean; consume?: boolean; sweep?: boolean } = {},
): Promise<MessagingRuntime> {
  const { dispatch = true, consume = true, sweep = true } = opts;
  const m = app.config.messaging;
  const subscriptions = buildSubscriptions(registry);
  await ensurePartitions(app.pool, new Date(), m.eventStoreMonthsAhead);
  await registerCursors(app.pool, registry.consumers);

  const dispatcher = dispatch
    ? await startDispatcherLoop(
        {
          pool: app.pool,
          queues: app.queues,
          subscriptions,
          log: app.log.child({ component: "dispatcher" }),
          settings: { batchSize: m.outboxBatchSize, maxAttempts: m.outboxMaxAttempts, backoffMs: m.outboxBackoffMs },
        },
        { connectionString: app.config.databaseUrl!, services: DOMAIN_SCHEMAS, pollMs: m.outboxPollMs, loopsPerService: m.outboxDispatchers },
      )
    : undefined;
  const consumers = consume
    ? startConsumers({ app, pool: app.pool, queues: app.queues, clients: serviceClients(app), log: app.log, lockMs: m.consumerLockMs }, registry)
    : undefined;

  const stopping = new AbortController();
  const sweepAll = async () => {
    let n = 0;
    for (const c of registry.consumers) {
      if (stopping.signal.aborted) break;
      n += await redeliverMissing({ pool: app.pool, queues: app.queues, subscriptions, log: app.log, signal: stopping.signal }, c, m.redeliveryGraceMs);
    }
    return n;
  };
  let sweeping: Promise<unknown> | undefined;
  const timer = sweep
    ? setInterval(() => {
        // Never two sweeps at once in a process: a slow one is not piled onto.
        sweeping ??= sweepAll()
          .catch((err: unknown) => app.log.error({ err }, "redelivery sweep failed"))
          .finally(() => (sweeping = undefined));
      }, m.redeliveryEveryMs)
    : undefined;
  timer?.unref();

  return {
    dispatcher,
    consumers,
    sweep: sweepAll,
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await sweeping;
      await dispatcher?.stop();
      await consumers?.stop();
    },
  };
}
