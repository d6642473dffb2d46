import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { SkipTraceIngestSampler, traceExportTarget } from "./otel";

describe("where the portal's own spans go", () => {
  it("to its own receiver by default, with an ingest token when one is required", () => {
    expect(traceExportTarget(parseConfig({ PORT: "4000" }))).toEqual({ url: "http://127.0.0.1:4000/v1/traces", headers: {} });
    expect(traceExportTarget(parseConfig({ HOST: "0.0.0.0", OTLP_INGEST_TOKENS: "t1,t2" }))).toEqual({
      url: "http://127.0.0.1:3000/v1/traces",
      headers: { authorization: "Bearer t1" },
    });
  });

  it("to OTEL_EXPORTER_OTLP_ENDPOINT when set, and nowhere with OTEL_TRACES_EXPORTER=none", () => {
    expect(traceExportTarget(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }))?.url).toBe("http://collector:4318/v1/traces");
    expect(traceExportTarget(parseConfig({ OTEL_TRACES_EXPORTER: "none" }))).toBeUndefined();
  });
});

describe("the sampler", () => {
  const sampler = new SkipTraceIngestSampler();
  const decide = (attributes: Record<string, string>) => sampler.shouldSample(ROOT_CONTEXT, "0af7651916cd43dd8448eb211c80319c", "POST", SpanKind.SERVER, attributes, []).decision;

  it("does not record a request to the trace receiver (no export feedback loop), and records the rest", () => {
    expect(decide({ "http.target": "/v1/traces" })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide({ "url.path": "/v1/traces" })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide({ "http.target": "/v1/tracesx" })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    // Nor a page posting its browser spans.
    expect(decide({ "url.path": "/api/telemetry/browser" })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide({ "http.target": "/api/trpc/catalog.list" })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
