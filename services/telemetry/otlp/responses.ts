/**
 * What the receiver answers, in the request's encoding (OTLP/HTTP): an ExportTraceServiceResponse on
 * success (with `partial_success` when spans were rejected), a google.rpc.Status on failure.
 */

export type Encoding = "protobuf" | "json";

export const CONTENT_TYPES: Record<Encoding, string> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

function varint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function lengthDelimited(out: number[], field: number, bytes: Uint8Array | number[]): void {
  out.push((field << 3) | 2);
  varint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** An ExportTraceServiceResponse: empty for full success, with partial_success when spans were rejected. */
export function exportResponse(encoding: Encoding, rejectedSpans: number, errorMessage: string): Uint8Array {
  if (encoding === "json") {
    const body = rejectedSpans > 0 || errorMessage ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  if (rejectedSpans === 0 && !errorMessage) return new Uint8Array(0);
  const partial: number[] = [];
  if (rejectedSpans > 0) {
    partial.push(1 << 3); // rejected_spans, int64 varint
    varint(partial, rejectedSpans);
  }
  if (errorMessage) lengthDelimited(partial, 2, Buffer.from(errorMessage, "utf8"));
  const out: number[] = [];
  lengthDelimited(out, 1, partial);
  return Uint8Array.from(out);
}

/** gRPC status codes used in google.rpc.Status answers. */
export const GRPC = { INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

/** A google.rpc.Status { code, message } (details left empty). */
export function statusBody(encoding: Encoding, code: number, message: string): Uint8Array {
  if (encoding === "json") return Buffer.from(JSON.stringify({ code, message, details: [] }));
  const out: number[] = [1 << 3];
  varint(out, code);
  lengthDelimited(out, 2, Buffer.from(message, "utf8"));
  return Uint8Array.from(out);
}
