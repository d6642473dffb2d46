import { randomBytes } from "node:crypto";
import type { TraceReceiver } from "./receiver";

/** Test fixtures: spans described briefly, sent through the real receiver as OTLP/JSON (tests only). */

export type SpanSpec = {
  service: string;
  name: string;
  /** OTLP SpanKind number (2 server, 3 client, 4 producer, 5 consumer). */
  kind: number;
  startMs: number;
  durationMs: number;
  /** 2 = Error. */
  status?: number;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  attributes?: Record<string, string | number | boolean>;
  links?: { traceId: string; spanId: string }[];
};

export const newTraceId = () => randomBytes(16).toString("hex");
export const newSpanId = () => randomBytes(8).toString("hex");

const attr = (key: string, v: string | number | boolean) => ({
  key,
  value: typeof v === "string" ? { stringValue: v } : typeof v === "boolean" ? { boolValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v },
});

/** The OTLP/JSON body for `spans` (one resource per service). Ids are filled in on the specs when missing. */
export function otlpJson(spans: SpanSpec[]): string {
  const byService = new Map<string, SpanSpec[]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [attr("service.name", service)] },
      scopeSpans: [
        {
          spans: list.map((s) => {
            s.traceId ??= newTraceId();
            s.spanId ??= newSpanId();
            const start = BigInt(Math.round(s.startMs * 1000)) * 1000n;
            const end = start + BigInt(Math.round(s.durationMs * 1_000_000));
            return {
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: String(start),
              endTimeUnixNano: String(end),
              attributes: Object.entries(s.attributes ?? {}).map(([k, v]) => attr(k, v)),
              ...(s.links ? { links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId })) } : {}),
              status: { code: s.status ?? 0 },
            };
          }),
        },
      ],
    })),
  });
}

/** Sends `spans` through the receiver (committed when this resolves); fails unless all are accepted. */
export async function sendSpans(receiver: TraceReceiver, spans: SpanSpec[]): Promise<void> {
  for (let i = 0; i < spans.length; i += 2000) {
    const body = Buffer.from(otlpJson(spans.slice(i, i + 2000)));
    const res = await receiver.receive(
      { "content-type": "application/json" },
      (async function* () {
        yield body;
      })(),
    );
    const text = Buffer.from(res.body).toString();
    if (res.status !== 200 || text.includes("rejectedSpans")) throw new Error(`ingest answered ${res.status}: ${text}`);
  }
}
