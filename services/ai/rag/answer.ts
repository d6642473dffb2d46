/**
 * An extractive answer: the sentences of the retrieved passages that share the most terms with the
 * question, each followed by the [n] of the passage it came from. Nothing is invented — every word of
 * the answer is in a cited passage.
 */

export type CitedPassage = { n: number; passage: string; score: number };

const STOPWORDS = new Set(
  "a an and are as at be by can could do does for from has have how i if in into is it its me my of on or our should so that the their them there these they this to was we what when where which who why will with would you your".split(" "),
);

/** A light English stemmer: enough to match "incidents"/"incident", "reviewing"/"review". */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, "");
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  else if (/(?:ch|sh|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  return w;
}

/** The question's content words, stemmed, each once. */
export function queryTerms(question: string): string[] {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => !STOPWORDS.has(w) && w.length > 1).map(stem))];
}

/** A passage's sentences (and list items), without markdown markers; headings and too-short fragments dropped. */
export function sentences(passage: string): string[] {
  return passage
    .split("\n")
    .filter((line) => !/^\s{0,3}#{1,6}\s/.test(line))
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map((s) => s.replace(/^\s*(?:[-*+>]|\d+[.)])\s+/, "").trim())
    .filter((s) => (s.match(/[\p{L}\p{N}]+/gu) ?? []).length >= 4);
}

/** At most `max` sentences that best answer `question`, each with its passage's [n]. */
export function composeAnswer(question: string, passages: CitedPassage[], max = 3): string {
  if (passages.length === 0) return "Nothing in the indexed templates and assets matches this question.";
  const terms = queryTerms(question);
  type Candidate = { text: string; n: number; score: number; order: number };
  const candidates: Candidate[] = [];
  let order = 0;
  for (const p of passages) {
    for (const s of sentences(p.passage)) {
      const stems = new Set((s.match(/[\p{L}\p{N}]+/gu) ?? []).map(stem));
      const hits = terms.filter((t) => stems.has(t)).length;
      candidates.push({ text: s, n: p.n, score: terms.length ? (hits / terms.length) * (1 + p.score) : 0, order: order++ });
    }
  }
  const seen = new Set<string>();
  const chosen = candidates
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .filter((c) => {
      const key = c.text.toLowerCase().replace(/\s+/g, " ");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, max);
  // No sentence shares a term (the match was on the title, say): the best passage's opening speaks for it.
  if (chosen.length === 0) {
    const first = candidates.find((c) => c.n === passages[0]!.n);
    return first ? `${first.text} [${first.n}]` : `See [${passages[0]!.n}].`;
  }
  return chosen.map((c) => `${/[.!?]$/.test(c.text) ? c.text : `${c.text}.`} [${c.n}]`).join(" ");
}
