import { REPORT_METRICS, type ReportRow } from "./rows";

/** Text a spreadsheet would run as a formula (CSV injection, OWASP): such cells get a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): numbers as they are; text quoted when it holds a comma, a double quote
 * (doubled inside), a line break, or leading/trailing spaces. Text that starts like a formula is
 * defused with a leading `'` first.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: a header line and one line per row, CRLF line endings (RFC 4180), ending with one. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** `templatesCreated` -> `templates_created`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The columns of a usage report's CSV. */
export const REPORT_CSV_HEADER = ["day", "scope", "subject_id", "subject_name", ...REPORT_METRICS.map(snakeCase)];

/** A usage report as CSV: one line per report row, metrics in REPORT_METRICS order. */
export function reportCsv(rows: Pick<ReportRow, "day" | "scope" | "subjectId" | "subjectName" | "metrics">[]): string {
  return toCsv(
    REPORT_CSV_HEADER,
    rows.map((r) => [r.day, r.scope, r.subjectId, r.subjectName, ...REPORT_METRICS.map((m) => r.metrics[m] ?? 0)]),
  );
}
