"use client";

/**
 * Browser tracing for the portal's own pages: every request a page makes through `tracedFetch` is a
 * CLIENT span whose context travels in a W3C `traceparent` header, so the server's spans (gateway,
 * procedure, outbox, consumer) join the trace the user's click started. Finished spans are batched and
 * posted to /api/telemetry/browser (services/telemetry/browser.ts), or beaconed when the page hides.
 * Kept tiny on purpose: no OpenTelemetry web SDK, just ids, timing and a queue.
 */

export const BROWSER_SPANS_PATH = "/api/telemetry/browser";
const FLUSH_MS = 2000;
const MAX_QUEUE = 500;
const MAX_BATCH = 200;

export type RecordedSpan = {
  traceId: string;
  spanId: string;
  name: string;
  startMs: number;
  endMs: number;
  error: boolean;
  statusMessage?: string;
  attributes: Record<string, string | number | boolean>;
};

function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  // An all-zero id is invalid; vanishingly unlikely, but cheap to rule out.
  if (b.every((x) => x === 0)) b[0] = 1;
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

const nowMs = () => performance.timeOrigin + performance.now();

const queue: RecordedSpan[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let listening = false;

function body(spans: RecordedSpan[]): string {
  return JSON.stringify({ page: { userAgent: navigator.userAgent }, spans });
}

/** Sends what is queued. On page hide, by beacon (it survives the unload). */
export function flushBrowserSpans(opts: { beacon?: boolean } = {}): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const sends: Promise<unknown>[] = [];
  while (queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    const payload = body(batch);
    if (opts.beacon && typeof navigator.sendBeacon === "function") {
      navigator.sendBeacon(BROWSER_SPANS_PATH, new Blob([payload], { type: "application/json" }));
    } else {
      // Lost spans are not worth an error on the page.
      sends.push(fetch(BROWSER_SPANS_PATH, { method: "POST", headers: { "content-type": "application/json" }, body: payload, keepalive: true }).catch(() => undefined));
    }
  }
  return Promise.all(sends).then(() => undefined);
}

function enqueue(span: RecordedSpan): void {
  if (queue.length >= MAX_QUEUE) queue.shift();
  queue.push(span);
  if (!listening && typeof window !== "undefined") {
    listening = true;
    window.addEventListener("pagehide", () => void flushBrowserSpans({ beacon: true }));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") void flushBrowserSpans({ beacon: true });
    });
  }
  timer ??= setTimeout(() => void flushBrowserSpans(), FLUSH_MS);
}

/** The span name for a request: `trpc <procedures>` for the gateway's tRPC path, else `<METHOD> <path>`. */
export function spanNameFor(method: string, url: URL): string {
  const trpc = /^\/api\/trpc\/(.+)$/.exec(url.pathname);
  if (trpc) {
    const procedures = decodeURIComponent(trpc[1]!).split(",");
    return `trpc ${procedures.length > 3 ? `${procedures.slice(0, 3).join(",")} (+${procedures.length - 3})` : procedures.join(",")}`;
  }
  return `${method} ${url.pathname}`;
}

export type TracedResponse = Response & { traceId?: string };

/**
 * fetch, as a CLIENT span of the page: adds `traceparent`, records method, path, status and timing.
 * The response's trace id is available as `response.traceId` (pages show "view trace" links with it).
 */
export async function tracedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<TracedResponse> {
  const request = new Request(input, init);
  const url = new URL(request.url, window.location.href);
  if (url.origin !== window.location.origin || url.pathname === BROWSER_SPANS_PATH) return fetch(request);
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  const headers = new Headers(request.headers);
  headers.set("traceparent", `00-${traceId}-${spanId}-01`);
  const method = request.method.toUpperCase();
  const span: RecordedSpan = {
    traceId,
    spanId,
    name: spanNameFor(method, url),
    startMs: nowMs(),
    endMs: 0,
    error: false,
    attributes: {
      "http.request.method": method,
      "url.path": url.pathname,
      "url.full": `${url.origin}${url.pathname}`,
      "server.address": url.hostname,
      "switchyard.page": window.location.pathname,
    },
  };
  try {
    const res = (await fetch(new Request(request, { headers }))) as TracedResponse;
    span.attributes["http.response.status_code"] = res.status;
    if (res.status >= 500) {
      span.error = true;
      span.statusMessage = `HTTP ${res.status}`;
    }
    res.traceId = traceId;
    return res;
  } catch (err) {
    span.error = true;
    span.statusMessage = (err as Error).message;
    span.attributes["error.type"] = (err as Error).name;
    throw err;
  } finally {
    span.endMs = nowMs();
    enqueue(span);
  }
}
