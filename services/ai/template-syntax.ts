/**
 * The template placeholder language as the ai service reads it: `{{name}}` inserts a variable,
 * `{{> slug}}` includes a module. The templates service owns the language; this is the ai service's
 * own small reading of it (services share events and procedures, not domain code), plus what the
 * templates service never needs: finding placeholders that are almost right.
 */
const TOKEN = /\{\{\s*(>)?\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;

/** The variables and module includes a body uses, each once, in order of first use. */
export function scanPlaceholders(body: string): { variables: string[]; modules: string[] } {
  const variables = new Set<string>();
  const modules = new Set<string>();
  for (const m of body.matchAll(TOKEN)) (m[1] ? modules : variables).add(m[2]!);
  return { variables: [...variables], modules: [...modules] };
}

/** Replaces `{{name}}` with values and `{{> slug}}` with module bodies (one level; unknown ones stay). */
export function renderPlaceholders(body: string, values: Record<string, string>, modules: Record<string, string> = {}): string {
  const once = (text: string, includes: boolean): string =>
    text.replace(TOKEN, (whole: string, include: string | undefined, name: string): string => {
      if (include) return includes && Object.hasOwn(modules, name) ? once(modules[name]!, false) : whole;
      return Object.hasOwn(values, name) ? values[name]! : whole;
    });
  return once(body, true);
}

export type MalformedKind = "single-braces" | "triple-braces" | "unclosed" | "unopened" | "empty" | "invalid-name";

/** A placeholder that is almost right: it would be left in the output as literal text. */
export type Malformed = { kind: MalformedKind; text: string; line: number; suggestion?: string };

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Lines inside fenced code blocks (``` or ~~~), which may legitimately contain braces. */
export function codeLines(lines: string[]): Set<number> {
  const inCode = new Set<number>();
  let fence: string | undefined;
  lines.forEach((line, i) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      inCode.add(i);
      if (m && m[1]!.startsWith(fence)) fence = undefined;
    } else if (m) {
      fence = m[1]!;
      inCode.add(i);
    }
  });
  return inCode;
}

const blank = (s: string) => " ".repeat(s.length);

/**
 * Placeholders that are malformed: `{name}`, `{{{name}}}`, `{{ name }`, `{ name }}`, `{{}}` and
 * `{{ not a name }}`. Single braces are only looked for outside code (code is full of braces).
 */
export function findMalformed(body: string): Malformed[] {
  const found: Malformed[] = [];
  const lines = body.split("\n");
  const code = codeLines(lines);
  lines.forEach((original, i) => {
    const line = i + 1;
    let rest = original;
    // Triple braces contain a valid token: find them before valid tokens are masked.
    rest = rest.replace(/\{\{\{\s*>?\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}\}/g, (whole, name: string) => {
      found.push({ kind: "triple-braces", text: whole, line, suggestion: `{{${name}}}` });
      return blank(whole);
    });
    rest = rest.replace(TOKEN, blank);
    rest = rest.replace(/\{\{([^{}\n]*)\}\}/g, (whole, inner: string) => {
      const name = inner.trim().replace(/^>\s*/, "");
      if (!name) found.push({ kind: "empty", text: whole, line });
      else if (!NAME.test(name)) found.push({ kind: "invalid-name", text: whole, line });
      return blank(whole);
    });
    rest = rest.replace(/\{\{\s*(>?)\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}?(?!\})/g, (whole, include: string, name: string) => {
      found.push({ kind: "unclosed", text: whole.trim(), line, suggestion: `{{${include ? "> " : ""}${name}}}` });
      return blank(whole);
    });
    rest = rest.replace(/(?<!\{)\{?\s*(>?)\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g, (whole, include: string, name: string) => {
      found.push({ kind: "unopened", text: whole.trim(), line, suggestion: `{{${include ? "> " : ""}${name}}}` });
      return blank(whole);
    });
    if (code.has(i)) return;
    // Single braces around a name, outside inline code spans.
    const noSpans = rest.replace(/`[^`]*`/g, blank);
    for (const m of noSpans.matchAll(/(?<![{$])\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}(?!\})/g)) {
      found.push({ kind: "single-braces", text: m[0], line, suggestion: `{{${m[1]}}}` });
    }
  });
  return found;
}
