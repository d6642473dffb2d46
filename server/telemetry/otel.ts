import { getNodeAutoInstrumentations } from "@opentelemetry/auto-instrumentations-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { envDetector, hostDetector, processDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, NoopSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type { Config } from "../config";

/**
 * Starts the OpenTelemetry NodeSDK for one Switchyard process (web or worker). Spans always get ids,
 * so logs carry `traceId`/`spanId`; they are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */

let sdk: NodeSDK | undefined;

/** Starts the SDK once per process; later calls are no-ops. Returns a shutdown function. */
export function startTelemetry(config: Config, processName: "web" | "worker"): () => Promise<void> {
  if (sdk || config.otel.disabled) return async () => {};
  const exporter = config.otel.endpoint
    ? new OTLPTraceExporter({ url: `${config.otel.endpoint.replace(/\/$/, "")}/v1/traces` })
    : undefined;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.otel.serviceName ?? `switchyard-${processName}`,
      [ATTR_SERVICE_VERSION]: config.version,
      "deployment.environment.name": config.nodeEnv,
    }),
    // Cloud detectors probe metadata endpoints over the network; this machine has none.
    resourceDetectors: [envDetector, processDetector, hostDetector],
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
          ignoreIncomingRequestHook: (req) => req.url?.startsWith("/_next/") ?? false,
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
