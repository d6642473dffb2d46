import { trace } from "@opentelemetry/api";
import pino, { type Logger } from "pino";
import { currentRequestScope } from "./request-context";

/**
 * pino's error serializer without the objects some errors carry: node-postgres puts the whole `client`
 * (connection, parsers, type tables — ~5 KB a line) on errors of pooled connections.
 */
function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (out && typeof out === "object") delete out.client;
  return out;
}

/**
 * JSON logs with `traceId`, `spanId` (from the active OpenTelemetry span) and `requestId`
 * (from the request scope) on every line where one exists.
 */
export function createLogger(opts: { level: string; name: string; destination?: pino.DestinationStream }): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { service: opts.name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
    mixin() {
      const out: Record<string, string> = {};
      const span = trace.getActiveSpan();
      if (span) {
        const sc = span.spanContext();
        if (sc.traceId && sc.traceId !== "00000000000000000000000000000000") {
          out.traceId = sc.traceId;
          out.spanId = sc.spanId;
        }
      }
      const scope = currentRequestScope();
      if (scope) out.requestId = scope.requestId;
      return out;
    },
  };
  return pino(options, opts.destination ?? pino.destination(1));
}

export type { Logger };
