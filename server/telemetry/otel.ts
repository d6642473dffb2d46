import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import { getNodeAutoInstrumentations } from "@opentelemetry/auto-instrumentations-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { envDetector, hostDetector, processDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type { Config } from "../config";

/**
 * Starts the OpenTelemetry NodeSDK for one Switchyard process (web or worker). Spans always get ids,
 * so logs carry `traceId`/`spanId`. They are exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, or by
 * default to the portal's own receiver (`/v1/traces` on HOST:PORT), unless OTEL_TRACES_EXPORTER=none.
 */

/** Where the portal's OTLP/HTTP trace receiver listens (app/v1/traces/route.ts). */
export const OTLP_TRACES_PATH = "/v1/traces";

/** The OTLP/HTTP export target for this configuration, or undefined when traces are not exported. */
export function traceExportTarget(config: Config): { url: string; headers: Record<string, string> } | undefined {
  if (!config.otel.exportTraces) return undefined;
  if (config.otel.endpoint) return { url: `${config.otel.endpoint.replace(/\/$/, "")}${OTLP_TRACES_PATH}`, headers: {} };
  // Our own receiver: reachable on loopback when the web process listens on every interface.
  const host = ["0.0.0.0", "::", "[::]"].includes(config.host) ? "127.0.0.1" : config.host.includes(":") ? `[${config.host}]` : config.host;
  const token = config.telemetry.ingestTokens[0];
  return { url: `http://${host}:${config.port}${OTLP_TRACES_PATH}`, headers: token ? { authorization: `Bearer ${token}` } : {} };
}

/** Where the portal's pages send the spans they record (services/telemetry/browser.ts). */
export const BROWSER_SPANS_PATH = "/api/telemetry/browser";

const under = (path: string, base: string) => path === base || path.startsWith(`${base}?`) || path.startsWith(`${base}/`);

/** True for an incoming request that carries spans: to the trace receiver, or a page's browser spans. */
export function isTraceIngestRequest(path: string | undefined): boolean {
  return path !== undefined && (under(path, OTLP_TRACES_PATH) || under(path, BROWSER_SPANS_PATH));
}

/**
 * ParentBased(AlwaysOn), except that spans describing a request to the trace receiver are not recorded
 * (Next.js starts its own server span for every request, with `http.target`). With the default export
 * target, the web process sends its spans to itself: were the receiving request traced, every export would
 * produce spans to export, forever. The http instrumentation ignores those requests too (and suppresses
 * tracing inside them); this covers spans started without that context.
 */
export class SkipTraceIngestSampler implements Sampler {
  private readonly inner = new ParentBasedSampler({ root: new AlwaysOnSampler() });

  shouldSample(ctx: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const target = attributes["http.target"] ?? attributes["url.path"];
    if (typeof target === "string" && isTraceIngestRequest(target)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(ctx, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return "SkipTraceIngestSampler{ParentBased{root=AlwaysOn}}";
  }
}

let sdk: NodeSDK | undefined;

/** Starts the SDK once per process; later calls are no-ops. Returns a shutdown function. */
export function startTelemetry(config: Config, processName: "web" | "worker"): () => Promise<void> {
  if (sdk || config.otel.disabled) return async () => {};
  const target = traceExportTarget(config);
  const exporter = target ? new OTLPTraceExporter({ url: target.url, headers: target.headers }) : undefined;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.otel.serviceName ?? `switchyard-${processName}`,
      [ATTR_SERVICE_VERSION]: config.version,
      "deployment.environment.name": config.nodeEnv,
    }),
    // Cloud detectors probe metadata endpoints over the network; this machine has none.
    resourceDetectors: [envDetector, processDetector, hostDetector],
    sampler: new SkipTraceIngestSampler(),
    // With nowhere to export, a no-op processor still registers the tracer provider (ids, propagation).
    spanProcessors: [exporter ? new BatchSpanProcessor(exporter) : new NoopSpanProcessor()],
    logRecordProcessors: [],
    metricReaders: [],
    instrumentations: [
      getNodeAutoInstrumentations({
        "@opentelemetry/instrumentation-fs": { enabled: false },
        "@opentelemetry/instrumentation-dns": { enabled: false },
        "@opentelemetry/instrumentation-net": { enabled: false },
        // Log correlation is done by server/logger.ts.
        "@opentelemetry/instrumentation-pino": { enabled: false },
        "@opentelemetry/instrumentation-http": {
          // Ignored requests run with tracing suppressed: nothing inside the trace receiver is recorded.
          ignoreIncomingRequestHook: (req) => (req.url?.startsWith("/_next/") ?? false) || isTraceIngestRequest(req.url),
        },
      }),
    ],
  });
  sdk.start();
  const running = sdk;
  return async () => {
    await running.shutdown().catch(() => {});
  };
}
