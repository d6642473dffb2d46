import { type Context, isSpanContextValid, type Link, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";

/**
 * Messaging spans with the OpenTelemetry messaging conventions: a producer span when an event is
 * written to the outbox, a producer span per dispatched batch (linked to each event's), and a
 * consumer span per processed event (child of, and linked to, the event's producer span).
 */
export const tracer = trace.getTracer("switchyard-messaging");

// W3C Trace Context, written and read here so the envelope does not depend on which propagators
// a process registered: https://www.w3.org/TR/trace-context/#traceparent-header
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The W3C traceparent of the active span, if there is a valid one. */
export function currentTraceparent(): string | undefined {
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/** The (remote) context a traceparent describes; the root context when absent or malformed. */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true });
}

/** A link to the span a traceparent names, if it names one. */
export function linkFromTraceparent(traceparent: string | undefined): Link[] {
  const sc = trace.getSpanContext(contextFromTraceparent(traceparent));
  return sc ? [{ context: sc }] : [];
}

/** The trace id in a traceparent (`00-<trace>-<span>-<flags>`). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split("-")[1];
}

export { SpanKind };
