/**
 * Renders a compatibility result for people (text) or machines (JSON).
 */
import type { TChange, TCompatibilityResult, TLevel } from "../../services/contracts/compat";

const WIDTH = 100;
const INDENT = "     ";
const LEVEL_ORDER: Record<TLevel, number> = { ERR: 0, WARN: 1, INFO: 2 };

/** The JSON document printed by `--format json`. */
export function toJson(result: TCompatibilityResult, labels: { new: string }): string {
  const changes = result.changes.map((c) => ({
    id: c.id,
    level: c.level,
    path: c.path,
    message: c.message,
    ...(c.operation ? { operation: c.operation } : {}),
    ...(c.explanation ? { explanation: c.explanation } : {}),
    ...(c.fix ? { fix: c.fix } : {}),
    direction: c.direction,
    against: c.against,
  }));
  const body = { compatible: result.compatible, kind: result.kind, mode: result.mode, new: labels.new, checkedAgainst: result.checkedAgainst, changes };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function wrap(text: string, prefix: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && prefix.length + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? prefix : " ".repeat(prefix.length)) + l);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function describeChange(change: TChange, showAgainst: boolean): string[] {
  const where = change.operation ? `${change.operation}` : change.path;
  const context = showAgainst ? `  (${change.direction} vs ${change.against})` : "";
  const lines = [`${change.level.padEnd(4)} ${change.id}  ${where}${context}`];
  lines.push(...wrap(change.message, INDENT));
  if (change.operation) lines.push(...wrap(change.path, `${INDENT}at `));
  if (change.explanation) lines.push(...wrap(change.explanation, `${INDENT}why: `));
  if (change.fix) lines.push(...wrap(change.fix, `${INDENT}fix: `));
  return lines;
}

/** The human-readable report printed by `--format text`. */
export function toText(result: TCompatibilityResult, labels: { new: string }): string {
  const count = (level: TLevel) => result.changes.filter((c) => c.level === level).length;
  const against = result.checkedAgainst.length ? result.checkedAgainst.join(", ") : "nothing";
  const verdict = result.compatible ? "COMPATIBLE" : "NOT COMPATIBLE";
  const out = [
    `${labels.new} (${result.kind}, mode ${result.mode}) against ${against}: ${verdict}`,
    `${plural(count("ERR"), "breaking change")}, ${plural(count("WARN"), "warning")}, ${count("INFO")} info`,
  ];
  const showAgainst = new Set(result.changes.map((c) => `${c.direction} ${c.against}`)).size > 1;
  const sorted = [...result.changes].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  for (const change of sorted) out.push("", ...describeChange(change, showAgainst));
  if (result.mode === "NONE") out.push("", "Mode NONE: nothing is checked; the changes above are for information.");
  return `${out.join("\n")}\n`;
}
