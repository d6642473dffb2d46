import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS, filtersFrom, filtersQuery, parseAttribute, searchInput } from "./search-params";

/** Trace-search filters round-trip through the URL and become a typed search input. */

describe("trace search filters", () => {
  it("round-trip through the query string, leaving defaults out", () => {
    const f = { ...DEFAULT_FILTERS, service: "switchyard-web", attribute: "http.route=/templates", minMs: "250", errors: true, range: "6h" };
    const q = filtersQuery(f);
    expect(q).toBe("service=switchyard-web&attr=http.route%3D%2Ftemplates&min=250&errors=1&range=6h");
    expect(filtersFrom(new URLSearchParams(q))).toEqual(f);
    expect(filtersQuery(DEFAULT_FILTERS)).toBe("");
    expect(filtersFrom(new URLSearchParams("from=2026-11-24T10:00"))).toMatchObject({ range: "custom", from: "2026-11-24T10:00" });
  });

  it("types attribute values as the span store holds them", () => {
    expect(parseAttribute("retries=3")).toEqual({ key: "retries", value: 3 });
    expect(parseAttribute('retries="3"')).toEqual({ key: "retries", value: "3" });
    expect(parseAttribute("cache.hit=false")).toEqual({ key: "cache.hit", value: false });
    expect(parseAttribute("url.path=/a=b")).toEqual({ key: "url.path", value: "/a=b" });
    expect(parseAttribute("=x")).toBeUndefined();
    expect(parseAttribute("novalue")).toBeUndefined();
  });

  it("turns presets into a range ending now and drops empty or invalid numbers", () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const input = searchInput({ ...DEFAULT_FILTERS, range: "15m", maxMs: "abc", minMs: "10", operation: " GET /x " }, now);
    expect(input).toEqual({ from: new Date(now - 15 * 60_000), to: new Date(now), operation: "GET /x", minDurationMs: 10, limit: 1000 });
    expect(searchInput({ ...DEFAULT_FILTERS, range: "nonsense" }, now).from).toEqual(new Date(now - 3_600_000));
  });
});
