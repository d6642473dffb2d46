import { describe, expect, it } from "vitest";
import { alertRedHref, redHref, traceHref, tracesHref } from "./links";
import { resolveRange } from "./time-range";

const at = Date.UTC(2026, 0, 5, 12, 0, 0);
const q = (href: string) => new URL(href, "http://x").searchParams;

describe("links between the observability pages", () => {
  it("opens the RED chart around an alert's long window, with the windows and the alert time marked", () => {
    const href = alertRedHref("pay ments", { at, longMinutes: 60, shortMinutes: 5 });
    expect(href.startsWith("/red/pay%20ments?")).toBe(true);
    const p = q(href);
    expect(p.get("from")).toBe(new Date(at - 75 * 60_000).toISOString());
    expect(p.get("to")).toBe(new Date(at + 5 * 60_000).toISOString());
    expect([p.get("alert"), p.get("long"), p.get("short")]).toEqual([new Date(at).toISOString(), "60", "5"]);
    // The RED page reads that range back.
    const range = resolveRange(p, Date.now());
    expect(range).toEqual({ from: new Date(at - 75 * 60_000), to: new Date(at + 5 * 60_000), preset: null });
  });

  it("searches traces of a service and operation, failing or slower than a bound", () => {
    const p = q(tracesHref({ service: "checkout", operation: "POST /pay", from: at - 60_000, to: at, minDurationMs: 97.5 }));
    expect(Object.fromEntries(p)).toEqual({ service: "checkout", operation: "POST /pay", from: new Date(at - 60_000).toISOString(), to: new Date(at).toISOString(), min: "97" });
    expect(q(tracesHref({ service: "a", from: at - 1, to: at, errorsOnly: true })).get("errors")).toBe("1");
    expect(traceHref("0af7651916cd43dd8448eb211c80319c")).toBe("/traces/0af7651916cd43dd8448eb211c80319c");
    expect(redHref("checkout")).toBe("/red/checkout");
    expect(q(redHref("checkout", { from: at - 1000, to: at }, { operation: "GET /", kind: 2 })).get("kind")).toBe("2");
  });

  it("falls back to the preset (1h by default) when the URL's range is missing or backwards", () => {
    const now = at;
    expect(resolveRange(new URLSearchParams("range=15m"), now)).toEqual({ from: new Date(now - 15 * 60_000), to: new Date(now), preset: "15m" });
    expect(resolveRange(new URLSearchParams(`from=${now}&to=${now - 1}`), now).preset).toBe("1h");
    expect(resolveRange(new URLSearchParams(`from=${now - 1000}&to=${now}`), now)).toMatchObject({ preset: null, from: new Date(now - 1000) });
  });
});
