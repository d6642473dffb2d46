import { z } from "zod";
import type { AppContext } from "@/server/app";
import { resolvePrincipal } from "@/server/auth/resolve";
import { BROWSER_SPANS_PATH, traceExportTarget } from "@/server/telemetry/otel";
import { getTraceReceiver } from "./web";

/**
 * Spans recorded by the portal's pages in the browser (components/telemetry/browser-tracing.ts): one
 * CLIENT span per request the page makes, whose context the request carries in `traceparent`, so a
 * trace starts where the user clicked. The browser posts them here (same origin, with its session);
 * they are stored like any OTLP export, under the resource `service.name = switchyard-browser` and the
 * signed-in user — a page cannot claim to be another service.
 */

export { BROWSER_SPANS_PATH };
export const BROWSER_SERVICE_NAME = "switchyard-browser";
export const MAX_BROWSER_SPANS = 200;
export const MAX_BROWSER_BODY_BYTES = 256 * 1024;

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`), `${n} lowercase hex digits`);
const attributeValue = z.union([z.string().max(2048), z.number().finite(), z.boolean()]);

export const BrowserSpan = z.object({
  traceId: hex(32).refine((s) => !/^0+$/.test(s), "an all-zero trace id is invalid"),
  spanId: hex(16).refine((s) => !/^0+$/.test(s), "an all-zero span id is invalid"),
  parentSpanId: hex(16).optional(),
  name: z.string().min(1).max(256),
  /** Epoch milliseconds (fractions allowed: performance.timeOrigin + performance.now()). */
  startMs: z.number().positive(),
  endMs: z.number().positive(),
  error: z.boolean().default(false),
  statusMessage: z.string().max(1024).optional(),
  attributes: z
    .record(z.string().min(1).max(128), attributeValue)
    .refine((a) => Object.keys(a).length <= 32, "at most 32 attributes")
    .default({}),
}).refine((s) => s.endMs >= s.startMs, "endMs must not be before startMs");
export type BrowserSpan = z.output<typeof BrowserSpan>;

export const BrowserSpanBatch = z.object({
  /** The page's user agent and location travel as attributes of the resource. */
  page: z.object({ userAgent: z.string().max(512).optional() }).default({}),
  spans: z.array(BrowserSpan).min(1).max(MAX_BROWSER_SPANS),
});
export type BrowserSpanBatch = z.output<typeof BrowserSpanBatch>;

const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

function otlpValue(v: string | number | boolean): Record<string, unknown> {
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v };
}

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/** The OTLP/JSON export request for a batch from `user`'s browser. */
export function browserSpansToOtlp(batch: BrowserSpanBatch, user: { userId: string; version: string }): Record<string, unknown> {
  const resource: Record<string, string> = {
    "service.name": BROWSER_SERVICE_NAME,
    "service.version": user.version,
    "telemetry.sdk.language": "webjs",
    "enduser.id": user.userId,
    ...(batch.page.userAgent ? { "user_agent.original": batch.page.userAgent } : {}),
  };
  return {
    resourceSpans: [
      {
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: otlpValue(value) })) },
        scopeSpans: [
          {
            scope: { name: "switchyard-browser-tracing" },
            spans: batch.spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: SPAN_KIND_CLIENT,
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(s.endMs),
              attributes: Object.entries(s.attributes).map(([key, value]) => ({ key, value: otlpValue(value) })),
              status: s.error ? { code: STATUS_ERROR, message: s.statusMessage ?? "" } : {},
            })),
          },
        ],
      },
    ],
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

/**
 * POST /api/telemetry/browser: a signed-in page's spans. 202 when stored (or when trace export is
 * off), 400 with the reason for a malformed batch, 401 without a session, 413 over the size limit;
 * the receiver's own answers (429/503 with Retry-After) pass through.
 */
export async function handleBrowserSpans(req: Request, app: AppContext): Promise<Response> {
  const principal = await resolvePrincipal(app, req.headers);
  if (!principal) return json(401, { error: "sign in first: browser spans are accepted from signed-in pages only" });
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > MAX_BROWSER_BODY_BYTES) return json(413, { error: `at most ${MAX_BROWSER_BODY_BYTES} bytes of spans per request` });
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BROWSER_BODY_BYTES) return json(413, { error: `at most ${MAX_BROWSER_BODY_BYTES} bytes of spans per request` });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return json(400, { error: "the body is not JSON" });
  }
  const parsed = BrowserSpanBatch.safeParse(raw);
  if (!parsed.success) {
    return json(400, { error: "malformed span batch", issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message })) });
  }
  const target = traceExportTarget(app.config);
  if (!target) return json(202, { accepted: 0, reason: "trace export is off" });
  const body = JSON.stringify(browserSpansToOtlp(parsed.data, { userId: principal.userId, version: app.config.version }));

  // With an external collector configured, the browser's spans go where the servers' spans go.
  if (app.config.otel.endpoint) {
    const res = await fetch(target.url, { method: "POST", headers: { "content-type": "application/json", ...target.headers }, body }).catch(
      (err: unknown) => ({ ok: false, status: 503, statusText: (err as Error).message }) as const,
    );
    return res.ok ? json(202, { accepted: parsed.data.spans.length }) : json(503, { error: `the trace collector answered ${res.status}` });
  }
  const headers: Record<string, string> = { "content-type": "application/json", ...target.headers };
  const res = await getTraceReceiver(app).receive(headers, (async function* () {
    yield Buffer.from(body);
  })());
  if (res.status === 200) return json(202, { accepted: parsed.data.spans.length });
  return new Response(res.body as Uint8Array<ArrayBuffer>, { status: res.status, headers: res.headers });
}
