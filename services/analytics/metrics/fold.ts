import type { Envelope } from "@/server/messaging/envelope";

/**
 * Folds domain events into the increments of analytics' read models — pure, so a batch of deliveries
 * becomes one multi-row upsert per table (services/analytics/consumers/metrics.ts) and the arithmetic
 * is unit-tested. Days are UTC days of the event's `occurredAt`.
 */

const T = (service: string, name: string) => `templator.events.v1.${service}.${name}`;

/** The event types the metrics read models are built from. */
export const METRIC_EVENT_TYPES = {
  templateUpdated: T("templates", "TemplateUpdated"),
  templatePublished: T("templates", "TemplatePublished"),
  templateRejected: T("templates", "TemplatePublicationRejected"),
  templateDeprecated: T("templates", "TemplateDeprecated"),
  projectCreated: T("projects", "ProjectCreated"),
  memberAdded: T("projects", "ProjectMemberAdded"),
  memberRemoved: T("projects", "ProjectMemberRemoved"),
  projectArchived: T("projects", "ProjectArchived"),
  promptRun: T("ai", "PromptRunRecorded"),
  aiError: T("ai", "AIErrorsOccurred"),
  assetUploaded: T("assets", "AssetUploaded"),
  reportReady: T("analytics", "UsageReportReady"),
} as const;

/** Usage counters, in the order reports and metrics show them. */
export const USAGE_METRICS = [
  "templatesCreated",
  "templatesUpdated",
  "templatesPublished",
  "templatesRejected",
  "templatesDeprecated",
  "projectsCreated",
  "projectsArchived",
  "membersAdded",
  "membersRemoved",
  "generations",
  "assetsUploaded",
  "reportsReady",
] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export type SubjectType = "all" | "template" | "project";

export type UsageIncrement = { day: string; subjectType: SubjectType; subjectId: string; metric: UsageMetric; count: number };

export type PromptRunIncrement = {
  day: string;
  model: string;
  outcome: string;
  templateId: string;
  projectId: string;
  runs: number;
  promptTokens: number;
  completionTokens: number;
  /** Integer micro-dollars, so sums are exact. */
  costMicros: number;
  latencyMsSum: number;
  latencyMsMax: number;
};

export type AiErrorIncrement = { day: string; model: string; errorCode: string; count: number };

/** A change to what analytics knows of a template or project; a field applies only if its version is newer. */
export type SubjectUpdate = {
  subjectType: "template" | "project";
  subjectId: string;
  name: string | null;
  nameVersion: number;
  status: string | null;
  statusVersion: number;
  templateId: string | null;
  members: number | null;
  membersVersion: number;
  firstSeenAt: string;
  lastEventAt: string;
};

export type Folded = {
  usage: UsageIncrement[];
  promptRuns: PromptRunIncrement[];
  aiErrors: AiErrorIncrement[];
  subjects: SubjectUpdate[];
};

/** The UTC day (YYYY-MM-DD) of an ISO timestamp, whatever offset it was written with. */
export function utcDay(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

type P = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** Folds a batch of events (each applied once: the inbox has filtered redeliveries) into increments. */
export function foldEvents(envelopes: Envelope[]): Folded {
  const usage = new Map<string, UsageIncrement>();
  const runs = new Map<string, PromptRunIncrement>();
  const errors = new Map<string, AiErrorIncrement>();
  const subjects = new Map<string, SubjectUpdate>();

  const count = (day: string, subjectType: SubjectType, subjectId: string, metric: UsageMetric) => {
    const key = `${day}|${subjectType}|${subjectId}|${metric}`;
    const row = usage.get(key);
    if (row) row.count++;
    else usage.set(key, { day, subjectType, subjectId, metric, count: 1 });
  };
  /** Counts a metric everywhere it belongs: overall, and for each subject the event names. */
  const countFor = (day: string, metric: UsageMetric, of: { template?: string; project?: string }) => {
    count(day, "all", "", metric);
    if (of.template) count(day, "template", of.template, metric);
    if (of.project) count(day, "project", of.project, metric);
  };
  const subject = (
    e: Envelope,
    subjectType: "template" | "project",
    subjectId: string,
    set: { name?: string; status?: string; templateId?: string; members?: number },
  ) => {
    const key = `${subjectType}|${subjectId}`;
    const v = e.aggregateVersion;
    const at = new Date(e.occurredAt).toISOString();
    const s = subjects.get(key) ?? {
      subjectType,
      subjectId,
      name: null,
      nameVersion: 0,
      status: null,
      statusVersion: 0,
      templateId: null,
      members: null,
      membersVersion: 0,
      firstSeenAt: at,
      lastEventAt: at,
    };
    if (set.name !== undefined && v > s.nameVersion) Object.assign(s, { name: set.name, nameVersion: v });
    if (set.status !== undefined && v > s.statusVersion) Object.assign(s, { status: set.status, statusVersion: v });
    if (set.members !== undefined && v > s.membersVersion) Object.assign(s, { members: set.members, membersVersion: v });
    if (set.templateId !== undefined) s.templateId ??= set.templateId;
    if (at < s.firstSeenAt) s.firstSeenAt = at;
    if (at > s.lastEventAt) s.lastEventAt = at;
    subjects.set(key, s);
  };

  const E = METRIC_EVENT_TYPES;
  for (const e of envelopes) {
    const p = e.payload as P;
    const day = utcDay(e.occurredAt);
    switch (e.eventType) {
      case E.templateUpdated: {
        const template = str(p.templateId) ?? e.aggregateId;
        const created = Array.isArray(p.changedFields) && p.changedFields.includes("created");
        countFor(day, created ? "templatesCreated" : "templatesUpdated", { template });
        subject(e, "template", template, { name: str(p.title), ...(created ? { status: "draft" } : {}) });
        break;
      }
      case E.templatePublished:
      case E.templateRejected:
      case E.templateDeprecated: {
        const template = str(p.templateId) ?? e.aggregateId;
        const [metric, status] =
          e.eventType === E.templatePublished
            ? (["templatesPublished", "published"] as const)
            : e.eventType === E.templateRejected
              ? (["templatesRejected", "draft"] as const)
              : (["templatesDeprecated", "deprecated"] as const);
        countFor(day, metric, { template });
        subject(e, "template", template, { name: str(p.title), status });
        break;
      }
      case E.projectCreated: {
        const project = str(p.projectId) ?? e.aggregateId;
        const template = str(p.templateId);
        countFor(day, "projectsCreated", { template, project });
        subject(e, "project", project, { name: str(p.name), status: "active", templateId: template, members: 1 });
        break;
      }
      case E.memberAdded:
      case E.memberRemoved: {
        const project = str(p.projectId) ?? e.aggregateId;
        countFor(day, e.eventType === E.memberAdded ? "membersAdded" : "membersRemoved", { project });
        subject(e, "project", project, typeof p.memberCount === "number" ? { members: p.memberCount } : {});
        break;
      }
      case E.projectArchived: {
        const project = str(p.projectId) ?? e.aggregateId;
        countFor(day, "projectsArchived", { project });
        subject(e, "project", project, { status: "archived" });
        break;
      }
      case E.promptRun: {
        const template = str(p.templateId);
        const project = str(p.projectId);
        const model = str(p.model) ?? "unknown";
        const outcome = str(p.outcome) ?? "success";
        const key = `${day}|${model}|${outcome}|${template ?? ""}|${project ?? ""}`;
        const latency = num(p.latencyMs);
        const row = runs.get(key) ?? {
          day,
          model,
          outcome,
          templateId: template ?? "",
          projectId: project ?? "",
          runs: 0,
          promptTokens: 0,
          completionTokens: 0,
          costMicros: 0,
          latencyMsSum: 0,
          latencyMsMax: 0,
        };
        row.runs++;
        row.promptTokens += num(p.promptTokens);
        row.completionTokens += num(p.completionTokens);
        row.costMicros += Math.round(num(p.costUsd) * 1_000_000);
        row.latencyMsSum += latency;
        row.latencyMsMax = Math.max(row.latencyMsMax, latency);
        runs.set(key, row);
        // A run made for a template or a project is a generation of it.
        if (template || project) countFor(day, "generations", { template, project });
        break;
      }
      case E.aiError: {
        const model = str(p.model) ?? "unknown";
        const errorCode = str(p.errorCode) ?? "unknown";
        const key = `${day}|${model}|${errorCode}`;
        const row = errors.get(key) ?? { day, model, errorCode, count: 0 };
        row.count++;
        errors.set(key, row);
        break;
      }
      case E.assetUploaded:
        countFor(day, "assetsUploaded", {});
        break;
      case E.reportReady:
        countFor(day, "reportsReady", {});
        break;
      default:
        break; // not part of these read models (the event feed still has it)
    }
  }
  // Sorted by key: concurrent transactions upsert shared rows in the same order, which avoids deadlocks.
  const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { usage: sorted(usage), promptRuns: sorted(runs), aiErrors: sorted(errors), subjects: sorted(subjects) };
}
