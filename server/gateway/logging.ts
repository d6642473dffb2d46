import { middleware } from "../trpc/init";

/** Request logging: one line per procedure call with its outcome and duration (trace ids come from the logger). */
export const requestLogging = middleware(async ({ path, type, ctx, next }) => {
  const started = performance.now();
  const result = await next();
  const durationMs = Math.round(performance.now() - started);
  const entry = { procedure: path, type, durationMs, principal: ctx.principal?.userId };
  if (result.ok) ctx.app.log.info(entry, "procedure ok");
  else if (result.error.code === "INTERNAL_SERVER_ERROR") ctx.app.log.error({ ...entry, err: result.error.cause ?? result.error }, "procedure failed");
  else ctx.app.log.info({ ...entry, code: result.error.code, reason: result.error.message }, "procedure refused");
  return result;
});
