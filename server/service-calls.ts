import { randomUUID } from "node:crypto";
import type { AppContext } from "./app";
import type { Principal } from "./auth/principal";
import { CORRELATION_HEADER, createTRPCContext } from "./trpc/context";
import { createCaller } from "./trpc/root";

/** The principal a service acts as when it calls another service (consumers, saga steps, jobs). */
export function servicePrincipal(service: string): Principal {
  return { userId: `service:${service}`, email: null, name: `${service} service`, roles: ["engineer"], teams: [], source: "service" };
}

/**
 * How one service uses another in-process: through its PUBLIC procedures, with the full gateway chain
 * (validation, logging, domain errors), never through its tables or domain functions. The correlation
 * id ties the calls to the chain of events that caused them.
 */
export function serviceCaller(app: AppContext, service: string, opts: { correlationId?: string; requestId?: string } = {}) {
  const headers = new Headers(opts.correlationId ? { [CORRELATION_HEADER]: opts.correlationId } : {});
  const ctx = createTRPCContext({ app, headers, requestId: opts.requestId ?? randomUUID() });
  ctx.principal = servicePrincipal(service);
  return createCaller(ctx);
}
