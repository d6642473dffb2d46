import type { SqlTx } from "@/server/messaging/registry";
import { chunkText } from "./chunker";

/**
 * The retrieval index: documents (a template, an asset's text) split into passages, each with a
 * weighted full-text vector — its document's title at weight A, its own text at B — under a GIN index.
 */

export type SourceType = "template" | "asset";

/** The version of a source last indexed (0 when never). */
export async function indexedVersion(tx: SqlTx, sourceType: SourceType, sourceId: string): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ v: number }[]>(
    `SELECT source_version AS v FROM ai.rag_documents WHERE source_type = $1 AND source_id = $2::uuid`,
    sourceType,
    sourceId,
  );
  return rows[0]?.v ?? 0;
}

export type IndexOutcome = "indexed" | "no-text" | "removed" | "stale";

/**
 * (Re)indexes a document at `version`: replaces its passages, unless the index already holds this or
 * a later version (then nothing changes: "stale"). `text` null records the document without passages
 * ("no-text"); `remove` takes it out of retrieval but remembers its version ("removed").
 */
export async function indexDocument(
  tx: SqlTx,
  doc: { sourceType: SourceType; sourceId: string; title: string; version: number; text: string | null; remove?: boolean },
): Promise<IndexOutcome> {
  const passages = doc.remove || doc.text === null ? [] : chunkText(doc.text);
  const status: IndexOutcome = doc.remove ? "removed" : passages.length ? "indexed" : "no-text";
  // The version check and the write are one statement: of two concurrent indexers, the older version loses.
  const won = await tx.$queryRawUnsafe<unknown[]>(
    `INSERT INTO ai.rag_documents (source_type, source_id, title, source_version, status, chunk_count, indexed_at)
     VALUES ($1, $2::uuid, $3, $4, $5, $6, now())
     ON CONFLICT (source_type, source_id) DO UPDATE
        SET title = EXCLUDED.title, source_version = EXCLUDED.source_version, status = EXCLUDED.status,
            chunk_count = EXCLUDED.chunk_count, indexed_at = now()
      WHERE ai.rag_documents.source_version < EXCLUDED.source_version
     RETURNING 1`,
    doc.sourceType,
    doc.sourceId,
    doc.title,
    doc.version,
    status,
    passages.length,
  );
  if (won.length === 0) return "stale";
  await tx.$executeRawUnsafe(`DELETE FROM ai.rag_chunks WHERE source_type = $1 AND source_id = $2::uuid`, doc.sourceType, doc.sourceId);
  if (passages.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO ai.rag_chunks (source_type, source_id, ordinal, title, passage, tsv)
       SELECT $1, $2::uuid, p.ord, $3, p.passage,
              setweight(to_tsvector('english', $3), 'A') || setweight(to_tsvector('english', p.passage), 'B')
         FROM unnest($4::text[]) WITH ORDINALITY AS p(passage, ord)`,
      doc.sourceType,
      doc.sourceId,
      doc.title,
      passages,
    );
  }
  return status;
}

/** Empties the index of one source type (before an event-store replay rebuilds it). */
export async function clearIndex(tx: SqlTx, sourceType: SourceType): Promise<void> {
  await tx.$executeRawUnsafe(`DELETE FROM ai.rag_documents WHERE source_type = $1`, sourceType);
}
