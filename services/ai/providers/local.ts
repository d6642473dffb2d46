import { readPrompt } from "../prompt";
import { renderPlaceholders, scanPlaceholders } from "../template-syntax";
import { countTokens, truncateTokens } from "../tokenizer";
import type { AiProvider } from "./provider";

const humanize = (name: string) => name.replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/**
 * Writes an empty section's text from the inputs, deterministically: the inputs whose names share a
 * word with the heading, or else a note that the section is to be decided.
 */
function sectionText(heading: string, inputs: Record<string, string>): string {
  const words = new Set(heading.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const related = Object.entries(inputs).filter(([k]) => humanize(k).split(" ").some((w) => words.has(w)));
  if (related.length) return related.map(([k, v]) => `${humanize(k)[0]!.toUpperCase()}${humanize(k).slice(1)}: ${v}`).join("\n\n");
  return `_${heading}: to be decided._`;
}

/**
 * The default provider: deterministic and offline. It completes the prompt's draft — placeholders
 * that had no input are marked "to be decided", empty sections are written from related inputs — and
 * counts tokens with the service's tokenizer. Same prompt, same answer.
 */
export function localProvider(model = "local-draft-1"): AiProvider {
  return {
    name: "local",
    model,
    async generate({ prompt, maxTokens }) {
      const { inputs, draft } = readPrompt(prompt);
      let text: string;
      if (draft === undefined) {
        text = ["# Draft", "", ...Object.entries(inputs).map(([k, v]) => `- ${humanize(k)}: ${v}`), ...(Object.keys(inputs).length ? [] : [prompt.trim()])].join("\n");
      } else {
        const open = scanPlaceholders(draft).variables;
        const body = renderPlaceholders(draft, Object.fromEntries(open.map((n) => [n, `_(${humanize(n)}: to be decided)_`])));
        const lines = body.split("\n");
        const out: string[] = [];
        lines.forEach((line, i) => {
          out.push(line);
          const h = /^(#{1,6})\s+(.*)$/.exec(line);
          if (!h) return;
          const rest = lines.slice(i + 1);
          const nextHeading = rest.findIndex((l) => /^#{1,6}\s/.test(l));
          const content = (nextHeading < 0 ? rest : rest.slice(0, nextHeading)).some((l) => l.trim() !== "");
          const deeper = nextHeading >= 0 && /^(#{1,6})/.exec(rest[nextHeading]!)![1]!.length > h[1]!.length;
          if (!content && !deeper && h[1]!.length > 1) out.push("", sectionText(h[2]!, inputs));
        });
        text = out.join("\n").trim();
      }
      const capped = truncateTokens(text, maxTokens).text;
      return { text: capped, promptTokens: countTokens(prompt), completionTokens: countTokens(capped), model };
    },
  };
}
