import type { AppContext } from "@/server/app";
import type { ConsumeContext, SqlTx } from "@/server/messaging/registry";

/**
 * The AppContext the ai consumers call other services through (serviceCaller needs one): the
 * messaging runtime hands it to every consumer with the delivery.
 */
export function consumerApp<T extends SqlTx>(ctx: ConsumeContext<T>): AppContext {
  if (!ctx.app) throw new Error("this consumer calls other services and needs the app: start it through startMessaging (server/messaging/runtime.ts)");
  return ctx.app;
}
