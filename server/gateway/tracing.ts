import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { middleware } from "../trpc/init";

const tracer = trace.getTracer("switchyard-gateway");

/**
 * Trace context: one span per procedure call, a child of the incoming HTTP span (whose context the
 * HTTP instrumentation took from `traceparent`). Everything the procedure does runs inside it.
 */
export const traceContext = middleware(async ({ path, type, ctx, next }) => {
  return tracer.startActiveSpan(
    `trpc ${path}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        "rpc.system": "trpc",
        "rpc.service": path.split(".")[0]!,
        "rpc.method": path,
        "rpc.trpc.type": type,
        // The Templator service (the router's first segment) whose procedure runs: the trace flow graph's node.
        "switchyard.service": path.split(".")[0]!,
        "switchyard.request_id": ctx.requestId,
      },
    },
    async (span) => {
      try {
        const result = await next();
        if (!result.ok) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
          span.setAttribute("rpc.trpc.error_code", result.error.code);
          if (result.error.code === "INTERNAL_SERVER_ERROR") span.recordException(result.error);
        }
        return result;
      } finally {
        span.end();
      }
    },
  );
});
