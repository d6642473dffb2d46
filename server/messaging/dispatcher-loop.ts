import pg from "pg";
import type { ServiceName } from "./envelope";
import { dispatchBatch, type DispatchDeps } from "./dispatcher";
import { OUTBOX_CHANNEL } from "./outbox";

export type DispatcherLoop = { stop(): Promise<void>; wake(service?: ServiceName): void };

/**
 * Runs dispatch loops for every service outbox in this process. A loop drains its outbox batch after
 * batch, then sleeps until a commit NOTIFYs it (LISTEN on a dedicated connection) or `pollMs` passes
 * (for retries whose backoff has ended, and notifications missed while reconnecting).
 *
 * With `loopsPerService` > 1, a service has several loops, but a notification wakes only one of them
 * (or none, when one is busy: it claims again when done, and takes in one batch what was committed
 * meanwhile); a loop that publishes a full batch — a backlog — wakes one more. So a trickle of events
 * costs at most one claim per commit, and a burst is claimed by several loops at once: while one writes
 * a batch to the event store and the queues, the next batch is being claimed.
 * Per-aggregate order is kept by the claim itself (server/messaging/dispatcher.ts), as between processes.
 */
export async function startDispatcherLoop(
  deps: DispatchDeps,
  opts: { connectionString: string; services: readonly ServiceName[]; pollMs: number; loopsPerService?: number },
): Promise<DispatcherLoop> {
  let stopped = false;
  type Loop = { service: ServiceName; asleep: boolean; pending: boolean; resolveSleep?: () => void };
  const loops: Loop[] = opts.services.flatMap((service) =>
    Array.from({ length: Math.max(1, opts.loopsPerService ?? 1) }, (): Loop => ({ service, asleep: false, pending: false })),
  );
  const rouse = (l: Loop) => {
    l.pending = true;
    l.resolveSleep?.();
  };
  /**
   * One loop of `service`: a busy one if any — it claims again as soon as its batch is done, taking
   * everything committed meanwhile in one batch — else a sleeping one, which claims at once.
   */
  const wakeOne = (service: ServiceName) => {
    const mine = loops.filter((l) => l.service === service);
    rouse(mine.find((l) => !l.asleep) ?? mine[0]!);
  };
  const wake = (service?: ServiceName) => {
    if (service) wakeOne(service);
    else loops.forEach(rouse);
  };

  let listener: pg.Client | undefined;
  const listen = async () => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: opts.connectionString });
    client.on("notification", (n) => {
      if (opts.services.includes(n.payload as ServiceName)) wakeOne(n.payload as ServiceName);
    });
    client.on("error", () => {
      // Reconnect; polling covers the gap.
      listener = undefined;
      if (!stopped) setTimeout(() => void listen().catch(() => {}), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    listener = client;
  };
  await listen();

  const running = loops.map(async (loop) => {
    while (!stopped) {
      loop.pending = false;
      let published = 0;
      try {
        published = await dispatchBatch(deps, loop.service);
      } catch (err) {
        deps.log.error({ err, service: loop.service }, "outbox dispatch failed");
      }
      // A full batch means more is waiting: bring in a sleeping sibling to claim the next one meanwhile.
      if (published >= deps.settings.batchSize) {
        const sibling = loops.find((l) => l.service === loop.service && l.asleep);
        if (sibling) rouse(sibling);
      }
      if (published > 0 || loop.pending || stopped) continue;
      loop.asleep = true;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.pollMs);
        loop.resolveSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      loop.asleep = false;
      loop.resolveSleep = undefined;
    }
  });

  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      await Promise.allSettled(running);
      await listener?.end().catch(() => {});
    },
  };
}
