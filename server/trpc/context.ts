import type { AppContext } from "../app";
import type { Principal } from "../auth/principal";

/**
 * What every procedure receives. `principal` is filled in by the gateway's auth middleware;
 * `responseHeaders` lets middlewares add headers to the HTTP response (e.g. x-request-id).
 */
export type TRPCContext = {
  app: AppContext;
  headers: Headers;
  requestId: string;
  principal: Principal | undefined;
  responseHeaders: Headers;
};

/** Creates a context for one request (HTTP) or one direct call (tests, server code). */
export function createTRPCContext(opts: { app: AppContext; headers?: Headers; requestId: string }): TRPCContext {
  return {
    app: opts.app,
    headers: opts.headers ?? new Headers(),
    requestId: opts.requestId,
    principal: undefined,
    responseHeaders: new Headers(),
  };
}

/** The header that ties together every event and call one request causes (a chain, a saga). */
export const CORRELATION_HEADER = "x-correlation-id";

/** The correlation id of a call: the caller's `x-correlation-id`, or else the request's own id. */
export function correlationIdOf(ctx: Pick<TRPCContext, "headers" | "requestId">): string {
  return ctx.headers.get(CORRELATION_HEADER) ?? ctx.requestId;
}
