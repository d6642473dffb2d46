import { describe, expect, it } from "vitest";
import { BUCKET_COUNT, countWithin, emptyBuckets, histogramQuantile } from "./red";

const hist = (entries: Record<number, number>) => {
  const b = emptyBuckets();
  for (const [i, n] of Object.entries(entries)) b[Number(i)] = n;
  return b;
};

describe("histogramQuantile (linear interpolation within the bucket, as histogram_quantile)", () => {
  it("interpolates within the bucket holding the rank", () => {
    // 10 calls in (100, 200]: p50 = 100 + 100 * 5/10; p95 = 100 + 100 * 9.5/10.
    expect(histogramQuantile(0.5, hist({ 7: 10 }))).toBe(150);
    expect(histogramQuantile(0.95, hist({ 7: 10 }))).toBe(195);
    // 4 in [0, 2], 4 in (50, 100]: p50 = rank 4, the last of the first bucket -> 2; p75 = rank 6 -> 50 + 50 * 2/4.
    expect(histogramQuantile(0.5, hist({ 0: 4, 6: 4 }))).toBe(2);
    expect(histogramQuantile(0.75, hist({ 0: 4, 6: 4 }))).toBe(75);
  });

  it("answers the highest finite bound in +Inf, null when empty", () => {
    expect(histogramQuantile(0.99, hist({ [BUCKET_COUNT - 1]: 3 }))).toBe(15_000);
    expect(histogramQuantile(0.5, emptyBuckets())).toBeNull();
  });
});

describe("countWithin", () => {
  it("is exact at bucket bounds and interpolates between them", () => {
    const h = hist({ 6: 10, 8: 10, 9: 10, 16: 5 }); // (50,100], (200,400], (400,800], +Inf
    expect(countWithin(400, h)).toBe(20);
    expect(countWithin(500, h)).toBe(22.5);
    expect(countWithin(15_000, h)).toBe(30);
    expect(countWithin(1, h)).toBe(0);
  });
});
