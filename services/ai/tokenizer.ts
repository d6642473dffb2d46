/**
 * A simple, deterministic tokenizer for counting and capping tokens without a model's vocabulary. It
 * pre-tokenizes the way GPT-style byte-pair encoders do (contractions, runs of letters or digits with
 * their leading space, runs of punctuation, whitespace), keeps pieces of up to 7 characters whole
 * (common words are one token in those vocabularies) and splits longer ones into 4-character parts.
 */
const PIECES = /'(?:s|t|re|ve|m|ll|d)\b| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const WHOLE = 7;
const PART = 4;

/** The text's tokens, in order; joined they give the text back. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PIECES)) {
    const piece = m[0];
    const chars = [...piece];
    // A leading space rides with the first part, as in BPE vocabularies.
    const space = piece.startsWith(" ") ? 1 : 0;
    if (chars.length <= WHOLE + space) {
      out.push(piece);
      continue;
    }
    const budget = PART + space;
    out.push(chars.slice(0, budget).join(""));
    for (let i = budget; i < chars.length; i += PART) out.push(chars.slice(i, i + PART).join(""));
  }
  return out;
}

/** How many tokens the text has. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}

/** The text cut to at most `max` tokens (whole tokens), and whether it was cut. */
export function truncateTokens(text: string, max: number): { text: string; truncated: boolean } {
  const tokens = tokenize(text);
  if (tokens.length <= max) return { text, truncated: false };
  return { text: tokens.slice(0, max).join(""), truncated: true };
}
