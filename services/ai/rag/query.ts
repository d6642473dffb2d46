import type { z } from "zod";
import type { AiDb } from "../db";
import type { RagQueryInput } from "../schemas";
import { composeAnswer } from "./answer";

type Hit = { source_type: "template" | "asset"; source_id: string; title: string; passage: string; score: number };

/** Quotes, a leading minus or OR: the question is a web-search query and is honoured as written. */
const SEARCH_SYNTAX = /"|(?:^|\s)-[\p{L}\p{N}]|\sor\s/iu;

/**
 * Retrieval: the passages that best match the question, ranked by PostgreSQL full-text search
 * (ts_rank_cd over the weighted vectors, normalised to 0..1), and an extractive answer citing them.
 * A plain question matches passages having any of its words; passages having all of them
 * (websearch_to_tsquery) rank higher. A question in web-search syntax ("phrase", -word, or) must match as written.
 */
export async function ragQuery(db: AiDb, input: z.output<typeof RagQueryInput>) {
  const words = [...new Set(input.question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 32);
  const strictOnly = SEARCH_SYNTAX.test(input.question) || words.length === 0;
  // Unused parameters are an error in PostgreSQL: the loose query's words are only sent when used.
  const loose = strictOnly ? "websearch_to_tsquery('english', $1)" : "to_tsquery('english', $3)";
  const hits = await db.$queryRawUnsafe<Hit[]>(
    `SELECT c.source_type, c.source_id::text AS source_id, c.title, c.passage,
            round(((CASE WHEN c.tsv @@ q.strict THEN 0.5 ELSE 0 END) + 0.5 * ts_rank_cd(c.tsv, q.loose, 32))::numeric, 4)::float8 AS score
       FROM ai.rag_chunks c,
            (SELECT websearch_to_tsquery('english', $1) AS strict, ${loose} AS loose) q
      WHERE c.tsv @@ ${strictOnly ? "q.strict" : "q.loose"}
      ORDER BY score DESC, c.source_type, c.source_id, c.ordinal
      LIMIT $2`,
    ...(strictOnly ? [input.question, input.limit] : [input.question, input.limit, words.join(" | ")]),
  );
  const citations = hits.map((h, i) => ({ n: i + 1, sourceType: h.source_type, sourceId: h.source_id, title: h.title, passage: h.passage, score: h.score }));
  return { question: input.question, answer: composeAnswer(input.question, citations), citations };
}
