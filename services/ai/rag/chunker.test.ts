import { describe, expect, it } from "vitest";
import { chunkText } from "./chunker";

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const sentence = (i: number) => `Sentence number ${i} talks about rollback plans and alerts for the team.`; // 12 words

describe("the chunker", () => {
  it("keeps a short document in one passage, with its lines", () => {
    expect(chunkText("# Title\n\nFirst line. Second line.\n- a bullet with words")).toEqual(["# Title\nFirst line. Second line.\n- a bullet with words"]);
    expect(chunkText("   \n\n ")).toEqual([]);
  });

  it("splits a long document into passages of at most `size` words that overlap and cover everything", () => {
    const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join(" ");
    const chunks = chunkText(text, { size: 100, overlap: 24 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(words(c).length).toBeLessThanOrEqual(100);
    for (let i = 1; i < chunks.length; i++) {
      // The next passage repeats the last two sentences (24 words) of the previous one.
      const prev = chunks[i - 1]!.split(/(?<=\.) /);
      expect(chunks[i]!.startsWith(prev.slice(-2).join(" "))).toBe(true);
    }
    for (let i = 0; i < 60; i++) expect(chunks.some((c) => c.includes(`number ${i} `))).toBe(true);
    // Passages break between sentences.
    for (const c of chunks) expect(c).toMatch(/^Sentence number \d+ .*team\.$/s);
  });

  it("splits text without sentence ends between words, still overlapping", () => {
    const text = Array.from({ length: 500 }, (_, i) => `w${i}`).join(" ");
    const chunks = chunkText(text, { size: 200, overlap: 40 });
    expect(chunks.map((c) => words(c).length)).toEqual([200, 200, 180]);
    expect(words(chunks[1]!)[0]).toBe("w160");
    expect(words(chunks[2]!).at(-1)).toBe("w499");
  });

  it("always moves forward, even when one sentence is larger than the overlap", () => {
    const text = Array.from({ length: 10 }, (_, i) => `Long ${"long ".repeat(29)}end ${i}.`).join(" ");
    const chunks = chunkText(text, { size: 70, overlap: 10 });
    expect(chunks).toHaveLength(5);
    expect(chunks.join(" ")).toContain("end 9.");
  });
});
