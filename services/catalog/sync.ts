import type { CatalogDb } from "./db";
import { loadDescriptors, type LoadError } from "./load";

export type SyncTrigger = "startup" | "schedule" | "manual";

export type SyncSummary = {
  runId: string;
  status: "succeeded" | "partial";
  upserted: number;
  unchanged: number;
  removed: number;
  errors: LoadError[];
};

// Fixed key: two workers syncing at once take turns instead of interleaving writes.
const SYNC_LOCK_KEY = 7_310_482_117;

/**
 * Loads the descriptor files under `rootDir` into the catalog: new and changed entities are written with
 * their relations, entities whose file no longer declares them are removed, and the run is recorded.
 * Rejected documents are listed in the run; a file with broken YAML keeps its previously loaded entities.
 */
export async function syncCatalog(
  db: CatalogDb,
  opts: { rootDir: string; trigger: SyncTrigger; jobId?: string },
): Promise<SyncSummary> {
  const run = await db.syncRun.create({
    data: { trigger: opts.trigger, jobId: opts.jobId ?? null, status: "running" },
    select: { id: true },
  });
  try {
    const loaded = await loadDescriptors(opts.rootDir);
    const counts = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SYNC_LOCK_KEY}::bigint)`;
        const existing = await tx.entity.findMany({ select: { ref: true, etag: true, sourcePath: true } });
        const current = new Map(existing.map((e) => [e.ref, e]));
        let upserted = 0;
        let unchanged = 0;
        for (const e of loaded.entities) {
          if (current.get(e.ref)?.etag === e.etag) {
            unchanged++;
            continue;
          }
          const { doc } = e;
          const row = {
            kind: doc.kind,
            namespace: doc.metadata.namespace,
            name: doc.metadata.name,
            title: doc.metadata.title ?? null,
            description: doc.metadata.description ?? null,
            owner: e.relations.find((r) => r.type === "ownedBy")?.targetRef ?? null,
            lifecycle: "lifecycle" in doc.spec ? doc.spec.lifecycle : null,
            system: e.relations.find((r) => r.type === "partOf")?.targetRef ?? null,
            type: "type" in doc.spec ? doc.spec.type : null,
            tags: doc.metadata.tags,
            metadata: doc.metadata,
            spec: doc.spec,
            sourcePath: e.sourcePath,
            etag: e.etag,
          };
          await tx.entity.upsert({ where: { ref: e.ref }, create: { ref: e.ref, ...row }, update: row });
          await tx.relation.deleteMany({ where: { sourceRef: e.ref } });
          await tx.relation.createMany({
            data: e.relations.map((r) => ({ sourceRef: e.ref, type: r.type, targetRef: r.targetRef })),
            skipDuplicates: true,
          });
          upserted++;
        }
        const loadedRefs = new Set(loaded.entities.map((e) => e.ref));
        const readFiles = new Set(loaded.filesRead);
        const stale = existing
          .filter((e) => !loadedRefs.has(e.ref))
          // Keep entities of a file that exists but could not be parsed this time.
          .filter((e) => readFiles.has(e.sourcePath) || !loaded.errors.some((err) => err.file === e.sourcePath))
          .map((e) => e.ref);
        if (stale.length > 0) await tx.entity.deleteMany({ where: { ref: { in: stale } } });
        return { upserted, unchanged, removed: stale.length };
      },
      { timeout: 30_000 },
    );
    const status = loaded.errors.length > 0 ? "partial" : "succeeded";
    await db.syncRun.update({
      where: { id: run.id },
      data: { status, ...counts, errors: loaded.errors, finishedAt: new Date() },
    });
    return { runId: run.id, status, ...counts, errors: loaded.errors };
  } catch (err) {
    await db.syncRun.update({
      where: { id: run.id },
      data: { status: "failed", errors: [{ file: "(sync)", message: (err as Error).message }], finishedAt: new Date() },
    });
    throw err;
  }
}
