import { describe, expect, it } from "vitest";
import { composeAnswer, queryTerms, sentences, stem } from "./answer";

const passages = [
  {
    n: 1,
    score: 0.8,
    passage: "## Impact\nDescribe who was affected by the incident and for how long. Include the number of customers. Keep it short.",
  },
  { n: 2, score: 0.4, passage: "# Rollback\nRoll back the deployment when error rates stay high for five minutes." },
];

describe("the extractive answer", () => {
  it("picks the sentences sharing most of the question's terms, each citing its passage", () => {
    const answer = composeAnswer("Who was affected by the incident?", passages);
    expect(answer).toBe("Describe who was affected by the incident and for how long. [1]");
    expect(composeAnswer("When should we roll back a deployment with high error rates?", passages)).toBe("Roll back the deployment when error rates stay high for five minutes. [2]");
    expect(composeAnswer("How long was the incident, and how many customers?", passages)).toBe(
      "Describe who was affected by the incident and for how long. [1] Include the number of customers. [1]",
    );
  });

  it("never repeats a sentence that two overlapping passages share", () => {
    const twice = [passages[0]!, { ...passages[0]!, n: 2, score: 0.7 }];
    expect(composeAnswer("customers affected incident", twice).match(/\[/g)).toHaveLength(2);
  });

  it("says so when nothing was found, and quotes the best passage when no sentence shares a term", () => {
    expect(composeAnswer("anything", [])).toBe("Nothing in the indexed templates and assets matches this question.");
    expect(composeAnswer("zebra", [passages[1]!])).toBe("Roll back the deployment when error rates stay high for five minutes. [2]");
  });

  it("stems and filters the question's words", () => {
    expect(queryTerms("How do I write the incidents' impacts?")).toEqual(["write", "incident", "impact"]);
    expect(stem("reviewing")).toBe("review");
    expect(stem("policies")).toBe("policy");
    expect(sentences("# Heading words are four\n- a b\n- list item of four\nOne two three four. Five six seven eight!")).toEqual(["list item of four", "One two three four.", "Five six seven eight!"]);
  });
});
