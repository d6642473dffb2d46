/**
 * Splits a document into passages for retrieval: about `size` words each, consecutive passages
 * sharing about `overlap` words so a sentence cut at a border is whole in one of them. Passages break
 * between sentences (or lines: headings and list items) where possible; a sentence longer than a
 * passage is split between words.
 */
export type ChunkOptions = { size?: number; overlap?: number };

export const DEFAULT_CHUNK = { size: 200, overlap: 40 } as const;

/** A sentence or line; `newLine` when it starts a line of the original. */
type Unit = { text: string; words: number; newLine: boolean };

/**
 * Sentences and lines, in order, without blank ones. One longer than a passage is split into pieces
 * of `piece` words, so passages of unpunctuated text still overlap.
 */
function units(text: string, size: number, piece: number): Unit[] {
  const out: Unit[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    // Sentence ends: . ! ? followed by a space and then something that starts a sentence.
    let newLine = true;
    for (const sentence of trimmed.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'([*_#-])/u)) {
      const words = sentence.split(/\s+/).filter(Boolean);
      const step = words.length > size ? piece : size;
      for (let i = 0; i < words.length; i += step) {
        const part = words.slice(i, i + step);
        out.push({ text: part.join(" "), words: part.length, newLine });
        newLine = false;
      }
    }
  }
  return out;
}

/** The passages of `text` (none for text without words). */
export function chunkText(text: string, opts: ChunkOptions = {}): string[] {
  const size = Math.max(1, opts.size ?? DEFAULT_CHUNK.size);
  const overlap = Math.min(Math.max(0, opts.overlap ?? DEFAULT_CHUNK.overlap), Math.floor(size / 2));
  const all = units(text, size, Math.max(1, overlap || size));
  const chunks: string[] = [];
  let start = 0;
  while (start < all.length) {
    let end = start;
    let words = 0;
    // Take whole units while they fit; always at least one.
    while (end < all.length && (end === start || words + all[end]!.words <= size)) words += all[end++]!.words;
    chunks.push(all.slice(start, end).map((u, i) => (i === 0 ? "" : u.newLine ? "\n" : " ") + u.text).join(""));
    if (end >= all.length) break;
    // The next passage starts early enough to repeat about `overlap` words, but always moves forward.
    let next = end;
    let repeated = 0;
    while (next - 1 > start && repeated + all[next - 1]!.words <= overlap) repeated += all[--next]!.words;
    start = next;
  }
  return chunks;
}
