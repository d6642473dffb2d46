import { codeLines, findMalformed, type Malformed, scanPlaceholders } from "./template-syntax";

/**
 * Template analysis: what a template declares and uses, how it is structured, what is wrong with it,
 * and a quality score. Pure and deterministic — the same text always gets the same answer — so the
 * publication saga's quality gate is repeatable.
 */

export type Severity = "error" | "warning" | "info";
export type Problem = { code: string; severity: Severity; message: string; line?: number };
export type DeclaredVariable = { name: string; type?: string; required?: boolean; description?: string };

export type AnalysisInput = {
  body: string;
  /** Undefined: no declarations to check against (placeholders are listed, not judged). */
  variables?: DeclaredVariable[];
  /** The modules the body includes, by slug: their variables, or null when no such module exists. Undefined: not checked. */
  modules?: Record<string, { variables: string[] } | null>;
};

export type Analysis = {
  variables: { name: string; declared: boolean; used: boolean }[];
  structure: { headings: { level: number; text: string }[]; sections: number; words: number; modules: string[] };
  problems: Problem[];
  qualityScore: number;
};

/** Lines longer than this are hard to read and review. */
export const LONG_LINE = 160;
/** Fewer words than this is not yet a template. */
export const MIN_WORDS = 20;

const PENALTY: Record<Severity, number> = { error: 25, warning: 10, info: 3 };
/** Occurrences of one problem code that count towards the score (ten long lines are one habit, not ten faults). */
const MAX_COUNTED = 3;

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

function closest(name: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = c.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name.toLowerCase(), c.toLowerCase());
    if (d <= Math.max(1, Math.min(2, Math.floor(c.length / 3))) && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

/** The line of the first `{{name}}` (or `{{> name}}` for an include). */
function lineOf(body: string, name: string, include = false): number | undefined {
  const at = body.search(new RegExp(`\\{\\{\\s*${include ? ">\\s*" : ""}${escape(name)}\\s*\\}\\}`));
  return at < 0 ? undefined : body.slice(0, at).split("\n").length;
}

type Heading = { level: number; text: string; line: number };

function headingsOf(lines: string[], code: Set<number>): Heading[] {
  const out: Heading[] = [];
  lines.forEach((line, i) => {
    if (code.has(i)) return;
    const m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) out.push({ level: m[1]!.length, text: m[2]!, line: i + 1 });
  });
  return out;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

const MALFORMED_MESSAGE: Record<Malformed["kind"], { severity: Severity; says: string }> = {
  "single-braces": { severity: "warning", says: "single braces are not a placeholder" },
  "triple-braces": { severity: "warning", says: "triple braces leave a brace on each side" },
  unclosed: { severity: "error", says: "the placeholder is not closed" },
  unopened: { severity: "error", says: "the placeholder is not opened" },
  empty: { severity: "error", says: "the placeholder names nothing" },
  "invalid-name": { severity: "error", says: "only {{name}} and {{> module}} are placeholders; names start with a letter" },
};

/** Analyzes a template body against its declarations (see `Analysis`). */
export function analyzeTemplate(input: AnalysisInput): Analysis {
  const { body } = input;
  const problems: Problem[] = [];
  const lines = body.split("\n");
  const code = codeLines(lines);
  const used = scanPlaceholders(body);

  // Variables: declared by the template or by a module it includes; used by the body or by an included module.
  const declaredList = input.variables ?? [];
  const declaredNames = declaredList.map((v) => v.name);
  const seen = new Set<string>();
  for (const name of declaredNames) {
    if (seen.has(name)) problems.push({ code: "duplicate-variable", severity: "error", message: `variable "${name}" is declared more than once` });
    seen.add(name);
  }
  const moduleVars = new Set<string>();
  for (const slug of used.modules) {
    const mod = input.modules?.[slug];
    if (input.modules && !mod) {
      problems.push({ code: "unknown-module", severity: "error", message: `the body includes "${slug}", which is not a module`, line: lineOf(body, slug, true) });
    }
    for (const v of mod?.variables ?? []) moduleVars.add(v);
  }
  const declared = new Set([...declaredNames, ...moduleVars]);
  const usedSet = new Set([...used.variables, ...moduleVars]);
  if (input.variables) {
    for (const name of used.variables) {
      if (declared.has(name)) continue;
      const hint = closest(name, [...declared]);
      problems.push({
        code: "undeclared-variable",
        severity: "error",
        message: `{{${name}}} is used but not declared${hint ? ` — did you mean {{${hint}}}?` : ""}`,
        line: lineOf(body, name),
      });
    }
    for (const v of declaredList) {
      if (!usedSet.has(v.name) && declaredNames.indexOf(v.name) === declaredList.indexOf(v)) {
        problems.push({ code: "unused-variable", severity: "warning", message: `variable "${v.name}" is declared but the body never uses it` });
      }
      if (!v.description?.trim()) problems.push({ code: "undocumented-variable", severity: "info", message: `variable "${v.name}" has no description for the people filling it in` });
    }
  } else if (used.variables.length > 0) {
    problems.push({ code: "no-declarations", severity: "info", message: `no variable declarations were given; ${used.variables.length} placeholder(s) were not checked` });
  }

  // Placeholders that are almost right.
  for (const m of findMalformed(body)) {
    const { severity, says } = MALFORMED_MESSAGE[m.kind];
    problems.push({ code: "placeholder-typo", severity, message: `${m.text}: ${says}${m.suggestion ? ` — did you mean ${m.suggestion}?` : ""}`, line: m.line });
  }

  // Structure.
  const headings = headingsOf(lines, code);
  const firstContent = lines.findIndex((l) => l.trim() !== "");
  const titles = headings.filter((h) => h.level === 1);
  if (!headings.length || headings[0]!.level !== 1 || headings[0]!.line !== firstContent + 1) {
    problems.push({ code: "missing-title", severity: "warning", message: "the template does not start with a title heading (# Title)" });
  }
  if (titles.length > 1) problems.push({ code: "multiple-titles", severity: "info", message: `${titles.length} title headings (#); use one, then ## sections`, line: titles[1]!.line });
  headings.forEach((h, i) => {
    const prev = headings[i - 1];
    if (prev && h.level > prev.level + 1) {
      problems.push({ code: "heading-skip", severity: "info", message: `"${h.text}" jumps from level ${prev.level} to ${h.level}`, line: h.line });
    }
    const next = headings[i + 1];
    const end = next ? next.line - 1 : lines.length;
    const content = lines.slice(h.line, end).some((l) => l.trim() !== "");
    const hasChildren = next !== undefined && next.level > h.level;
    if (!content && !hasChildren) problems.push({ code: "empty-section", severity: "warning", message: `section "${h.text}" is empty`, line: h.line });
    if (headings.slice(0, i).some((o) => o.level === h.level && o.text.toLowerCase() === h.text.toLowerCase())) {
      problems.push({ code: "duplicate-heading", severity: "info", message: `heading "${h.text}" appears twice`, line: h.line });
    }
  });
  const long = lines.map((l, i) => ({ l, i })).filter(({ l, i }) => !code.has(i) && [...l].length > LONG_LINE && !/^\s*\|/.test(l));
  long.slice(0, MAX_COUNTED).forEach(({ l, i }) =>
    problems.push({ code: "long-line", severity: "info", message: `line ${i + 1} is ${[...l].length} characters long (over ${LONG_LINE})`, line: i + 1 }),
  );
  if (long.length > MAX_COUNTED) problems.push({ code: "long-line", severity: "info", message: `${long.length - MAX_COUNTED} more lines are over ${LONG_LINE} characters` });
  const fences = lines.filter((l) => /^\s{0,3}(`{3,}|~{3,})/.test(l)).length;
  if (fences % 2 === 1) problems.push({ code: "unclosed-code-block", severity: "warning", message: "a code block is opened and never closed" });
  lines.forEach((l, i) => {
    if (code.has(i)) return;
    const todo = /\b(TODO|FIXME|TBD)\b|\bXXX\b|lorem ipsum/i.exec(l);
    if (todo) problems.push({ code: "unfinished-text", severity: "warning", message: `"${todo[0]}" marks unfinished text`, line: i + 1 });
  });
  const words = (body.match(WORD) ?? []).length;
  if (words < MIN_WORDS) problems.push({ code: "too-short", severity: "warning", message: `${words} word(s); a template needs at least ${MIN_WORDS} to guide anyone` });

  // Score: a penalty per problem by severity, each code counted at most MAX_COUNTED times.
  const counted = new Map<string, number>();
  let score = 100;
  for (const p of problems) {
    const n = counted.get(p.code) ?? 0;
    if (n >= MAX_COUNTED) continue;
    counted.set(p.code, n + 1);
    score -= PENALTY[p.severity];
  }

  const all = [...declaredNames.filter((n, i) => declaredNames.indexOf(n) === i), ...used.variables.filter((v) => !declaredNames.includes(v))];
  return {
    variables: all.map((name) => ({ name, declared: declared.has(name), used: usedSet.has(name) })),
    structure: { headings: headings.map(({ level, text }) => ({ level, text })), sections: headings.length, words, modules: used.modules },
    problems: problems.sort((a, b) => order(a) - order(b)),
    qualityScore: Math.max(0, Math.min(100, Math.round(score))),
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
// Stable sort: errors first, then by line (problems without a line keep their place at the end of their group).
const order = (p: Problem) => SEVERITY_ORDER[p.severity] * 1e7 + (p.line ?? 1e6);
