/**
 * The prompt the ai service sends a provider to fill a template: instructions, the inputs, and the
 * template with the inputs already inserted. The local provider reads the same sections back.
 */
export const INPUTS_HEADING = "## Inputs";
export const DRAFT_HEADING = "## Draft";

const oneLine = (v: string) => v.replace(/\s*\n\s*/g, " ").trim();

/** Builds the prompt for a rendered draft and the inputs it was rendered with. */
export function buildPrompt(opts: { title?: string; draft: string; inputs: Record<string, string> }): string {
  const inputs = Object.entries(opts.inputs).sort(([a], [b]) => a.localeCompare(b));
  return [
    `Complete the document${opts.title ? ` "${opts.title}"` : ""} below for an engineering team, in Markdown.`,
    "Keep its headings and order. Write every empty section from the inputs. Do not invent facts: where the",
    "inputs say nothing, write that it is to be decided. Placeholders still in {{braces}} had no input.",
    "",
    INPUTS_HEADING,
    ...(inputs.length ? inputs.map(([k, v]) => `- ${k}: ${oneLine(v)}`) : ["- (none)"]),
    "",
    DRAFT_HEADING,
    opts.draft,
  ].join("\n");
}

/** The inputs and draft of a prompt made by `buildPrompt` (undefined parts when it was not). */
export function readPrompt(prompt: string): { inputs: Record<string, string>; draft: string | undefined } {
  const d = prompt.indexOf(`\n${DRAFT_HEADING}\n`);
  const i = prompt.indexOf(`\n${INPUTS_HEADING}\n`);
  const inputs: Record<string, string> = {};
  if (i >= 0) {
    const block = prompt.slice(i + INPUTS_HEADING.length + 2, d > i ? d : undefined);
    for (const m of block.matchAll(/^- ([^:\n]+): (.*)$/gm)) inputs[m[1]!] = m[2]!;
  }
  return { inputs, draft: d >= 0 ? prompt.slice(d + DRAFT_HEADING.length + 2) : undefined };
}
