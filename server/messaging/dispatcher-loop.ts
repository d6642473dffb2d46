import pg from "pg";
import type { ServiceName } from "./envelope";
import { dispatchBatch, type DispatchDeps } from "./dispatcher";
import { OUTBOX_CHANNEL } from "./outbox";

export type DispatcherLoop = { stop(): Promise<void>; wake(service?: ServiceName): void };

/**
 * Runs one dispatch loop per service outbox in this process. A loop drains its outbox batch after
 * batch, then sleeps until a commit NOTIFYs it (LISTEN on a dedicated connection) or `pollMs` passes
 * (for retries whose backoff has ended, and notifications missed while reconnecting).
 */
export async function startDispatcherLoop(
  deps: DispatchDeps,
  opts: { connectionString: string; services: readonly ServiceName[]; pollMs: number },
): Promise<DispatcherLoop> {
  let stopped = false;
  const wakers = new Map<ServiceName, () => void>();
  const wake = (service?: ServiceName) => {
    for (const [s, w] of wakers) if (!service || s === service) w();
  };

  let listener: pg.Client | undefined;
  const listen = async () => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: opts.connectionString });
    client.on("notification", (n) => wake(n.payload as ServiceName));
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

  const loops = opts.services.map(async (service) => {
    let pending = false;
    let resolveSleep: (() => void) | undefined;
    wakers.set(service, () => {
      pending = true;
      resolveSleep?.();
    });
    while (!stopped) {
      pending = false;
      let published = 0;
      try {
        published = await dispatchBatch(deps, service);
      } catch (err) {
        deps.log.error({ err, service }, "outbox dispatch failed");
      }
      if (published > 0 || pending || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.pollMs);
        resolveSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      resolveSleep = undefined;
    }
  });

  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      await Promise.allSettled(loops);
      await listener?.end().catch(() => {});
    },
  };
}
