import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { contextFromTraceparent, linkFromTraceparent, traceIdOf } from "./tracing";

describe("traceparent in the envelope", () => {
  it("reads a W3C traceparent into a remote span context, link and trace id", () => {
    const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    expect(trace.getSpanContext(contextFromTraceparent(tp))).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
      isRemote: true,
    });
    expect(linkFromTraceparent(tp)).toHaveLength(1);
    expect(traceIdOf(tp)).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("ignores a missing or malformed one", () => {
    for (const tp of [undefined, "", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-XYZ-00f067aa0ba902b7-01"]) {
      expect(trace.getSpanContext(contextFromTraceparent(tp))).toBeUndefined();
      expect(linkFromTraceparent(tp)).toEqual([]);
    }
  });
});
