import { context, type Context, type Link, propagation, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";

/**
 * Messaging spans with the OpenTelemetry messaging conventions: a producer span when an event is
 * written to the outbox, a producer span per dispatched batch (linked to each event's), and a
 * consumer span per processed event (child of, and linked to, the event's producer span).
 */
export const tracer = trace.getTracer("switchyard-messaging");

/** The W3C traceparent of the active span, if any. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The context a traceparent describes (the root context when absent or malformed). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
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
