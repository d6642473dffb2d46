/**
 * The template language, as small as it can be: `{{name}}` inserts a variable, `{{> slug}}` includes a
 * module. Names are letters, digits and underscores, starting with a letter.
 */
const TOKEN = /\{\{\s*(>)?\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;

/** The variables and module includes a body uses, each once, in order of first use. */
export function scanBody(body: string): { variables: string[]; modules: string[] } {
  const variables = new Set<string>();
  const modules = new Set<string>();
  for (const m of body.matchAll(TOKEN)) (m[1] ? modules : variables).add(m[2]!);
  return { variables: [...variables], modules: [...modules] };
}

/** Replaces `{{name}}` with values and `{{> slug}}` with module bodies (one level; modules may use variables). */
export function renderBody(body: string, values: Record<string, string>, modules: Record<string, string> = {}): string {
  const once = (text: string, includes: boolean): string =>
    text.replace(TOKEN, (whole: string, include: string | undefined, name: string): string => {
      if (include) return includes && name in modules ? once(modules[name]!, false) : whole;
      return name in values ? values[name]! : whole;
    });
  return once(body, true);
}
