import { describe, expect, it } from "vitest";
import { buildReportRows } from "./rows";

const sums = (o: Partial<{ runs: number; failed: number; promptTokens: number; completionTokens: number; costUsd: number; latencyMsSum: number; latencyMsMax: number }>) => ({
  runs: 0,
  failed: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
  latencyMsSum: 0,
  latencyMsMax: 0,
  ...o,
});

describe("usage report rows", () => {
  it("give every day an overall row, and a row per template, project and model that did something", () => {
    const rows = buildReportRows({
      days: ["2026-11-23", "2026-11-24"],
      usage: [
        { day: "2026-11-24", subjectType: "all", subjectId: "", metric: "projectsCreated", count: 2 },
        { day: "2026-11-24", subjectType: "template", subjectId: "t1", metric: "projectsCreated", count: 2 },
        { day: "2026-11-24", subjectType: "project", subjectId: "p1", metric: "projectsCreated", count: 1 },
        { day: "2026-11-24", subjectType: "all", subjectId: "", metric: "noSuchMetric", count: 9 },
      ],
      prompts: [
        { day: "2026-11-24", model: "m1", templateId: "t1", projectId: "", sums: sums({ runs: 2, failed: 1, promptTokens: 10, costUsd: 0.5, latencyMsSum: 300, latencyMsMax: 200 }) },
        { day: "2026-11-24", model: "m1", templateId: "", projectId: "", sums: sums({ runs: 1, costUsd: 0.25, latencyMsSum: 100, latencyMsMax: 100 }) },
      ],
      aiErrors: [{ day: "2026-11-24", model: "m1", count: 3 }],
      names: new Map([["template|t1", "Postmortem"]]),
    });
    expect(rows.map((r) => [r.day, r.scope, r.subjectName])).toEqual([
      ["2026-11-23", "all", "all"],
      ["2026-11-24", "all", "all"],
      ["2026-11-24", "template", "Postmortem"],
      ["2026-11-24", "project", ""],
      ["2026-11-24", "model", "m1"],
    ]);
    expect(rows[0]!.metrics.projectsCreated).toBe(0);
    expect(rows[1]!.metrics).toMatchObject({ projectsCreated: 2, promptRuns: 3, failedRuns: 1, costUsd: 0.75, avgLatencyMs: 133.3, aiErrors: 3 });
    expect(rows[2]!.metrics).toMatchObject({ projectsCreated: 2, promptRuns: 2, failedRuns: 1, costUsd: 0.5, aiErrors: 0 });
    expect(rows[4]!.metrics).toMatchObject({ promptRuns: 3, aiErrors: 3, projectsCreated: 0 });
  });
});
