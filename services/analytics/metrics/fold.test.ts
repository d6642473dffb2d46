import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Envelope } from "@/server/messaging/envelope";
import { foldEvents, METRIC_EVENT_TYPES as E, utcDay } from "./fold";

const T1 = "11111111-1111-4111-8111-111111111111";
const P1 = "22222222-2222-4222-8222-222222222222";

function ev(eventType: string, payload: Record<string, unknown>, opts: { version?: number; at?: string; aggregateId?: string } = {}): Envelope {
  return {
    eventId: randomUUID(),
    eventType,
    version: 1,
    aggregateId: opts.aggregateId ?? String(payload.templateId ?? payload.projectId ?? payload.runId ?? "x"),
    aggregateVersion: opts.version ?? 1,
    occurredAt: opts.at ?? "2026-11-24T10:00:00.000Z",
    payload,
  };
}

describe("folding events into read-model increments", () => {
  it("a day is the UTC day, whatever offset the time was written with", () => {
    expect(utcDay("2026-11-24T23:30:00.000-02:00")).toBe("2026-11-25");
    expect(utcDay("2026-11-25T00:30:00.000+02:00")).toBe("2026-11-24");
  });

  it("counts template and project usage overall and per subject, telling creations from updates", () => {
    const f = foldEvents([
      ev(E.templateUpdated, { templateId: T1, version: 1, title: "Postmortem", changedFields: ["created"] }),
      ev(E.templateUpdated, { templateId: T1, version: 2, title: "Postmortem", changedFields: ["body"] }, { version: 2 }),
      ev(E.templatePublished, { templateId: T1, version: 2, title: "Postmortem", publishedBy: "u" }, { version: 3 }),
      ev(E.projectCreated, { projectId: P1, templateId: T1, name: "Outage review", createdBy: "u" }),
      ev(E.projectCreated, { projectId: randomUUID(), templateId: T1, name: "Another", createdBy: "u" }, { at: "2026-11-25T01:00:00Z" }),
    ]);
    const get = (day: string, type: string, id: string, metric: string) =>
      f.usage.find((u) => u.day === day && u.subjectType === type && u.subjectId === id && u.metric === metric)?.count;
    expect(get("2026-11-24", "all", "", "templatesCreated")).toBe(1);
    expect(get("2026-11-24", "all", "", "templatesUpdated")).toBe(1);
    expect(get("2026-11-24", "template", T1, "templatesPublished")).toBe(1);
    expect(get("2026-11-24", "template", T1, "projectsCreated")).toBe(1);
    expect(get("2026-11-25", "template", T1, "projectsCreated")).toBe(1);
    expect(get("2026-11-24", "project", P1, "projectsCreated")).toBe(1);
    expect(get("2026-11-24", "all", "", "projectsCreated")).toBe(1);
    // One row per key: the batch becomes one multi-row upsert without duplicate keys.
    const keys = f.usage.map((u) => `${u.day}|${u.subjectType}|${u.subjectId}|${u.metric}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("sums prompt runs per day, model and outcome exactly, and counts runs for a template or project as generations", () => {
    const run = (o: Record<string, unknown>) =>
      ev(E.promptRun, { runId: randomUUID(), model: "gpt-x", promptTokens: 100, completionTokens: 50, latencyMs: 200, costUsd: 0.1, outcome: "success", ...o });
    const f = foldEvents([
      run({ templateId: T1 }),
      run({ templateId: T1, costUsd: 0.2, latencyMs: 900 }),
      run({ outcome: "timeout", latencyMs: 30_000, costUsd: 0 }),
      ev(E.aiError, { model: "gpt-x", errorCode: "rate_limited", message: "slow down" }),
      ev(E.aiError, { model: "gpt-x", errorCode: "rate_limited", message: "slow down" }),
    ]);
    const ok = f.promptRuns.find((r) => r.outcome === "success")!;
    expect(ok).toMatchObject({ model: "gpt-x", templateId: T1, projectId: "", runs: 2, promptTokens: 200, completionTokens: 100, latencyMsSum: 1100, latencyMsMax: 900 });
    expect(ok.costMicros).toBe(300_000); // 0.1 + 0.2 without floating-point residue
    expect(f.promptRuns.find((r) => r.outcome === "timeout")).toMatchObject({ runs: 1, templateId: "" });
    expect(f.usage.filter((u) => u.metric === "generations").map((u) => [u.subjectType, u.count])).toEqual([
      ["all", 2],
      ["template", 2],
    ]);
    expect(f.aiErrors).toEqual([{ day: "2026-11-24", model: "gpt-x", errorCode: "rate_limited", count: 2 }]);
  });

  it("keeps, per field, the value of the newest aggregate version even when events come out of order", () => {
    const f = foldEvents([
      ev(E.templateDeprecated, { templateId: T1, version: 2, title: "Renamed", reason: "old" }, { version: 5 }),
      ev(E.templateUpdated, { templateId: T1, version: 1, title: "Original", changedFields: ["created"] }, { version: 1 }),
      ev(E.templateUpdated, { templateId: T1, version: 2, title: "Renamed", changedFields: ["title"] }, { version: 4 }),
    ]);
    expect(f.subjects).toEqual([
      expect.objectContaining({ subjectType: "template", subjectId: T1, name: "Renamed", nameVersion: 5, status: "deprecated", statusVersion: 5 }),
    ]);
  });

  it("tracks a project's state and member count from its events", () => {
    const f = foldEvents([
      ev(E.projectCreated, { projectId: P1, templateId: T1, name: "Review", createdBy: "u" }, { version: 1 }),
      ev(E.memberAdded, { projectId: P1, userId: "a", role: "editor", addedBy: "u", memberCount: 2 }, { version: 2 }),
      ev(E.memberRemoved, { projectId: P1, userId: "a", role: "editor", removedBy: "u", memberCount: 1 }, { version: 3 }),
      ev(E.projectArchived, { projectId: P1, archivedBy: "u" }, { version: 4 }),
    ]);
    expect(f.subjects[0]).toMatchObject({ subjectType: "project", name: "Review", status: "archived", templateId: T1, members: 1, membersVersion: 3 });
  });

  it("ignores event types that are not part of the read models", () => {
    expect(foldEvents([ev("templator.events.v1.templates.SomethingNew", { templateId: T1 })])).toEqual({ usage: [], promptRuns: [], aiErrors: [], subjects: [] });
  });
});
