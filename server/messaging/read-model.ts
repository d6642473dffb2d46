import type { SqlTx } from "./registry";

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  const parts = name.split(".");
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) throw new Error(`"${name}" is not a plain table or column name`);
  return parts.map((p) => `"${p}"`).join(".");
}

/**
 * Writes a read-model row keyed by aggregate id unless the stored row already reflects a newer (or the
 * same) aggregateVersion: a late or repeated event never moves a read model backwards.
 * The table needs `aggregate_id` (unique) and `version` columns. Returns false when the event was stale.
 */
export async function upsertIfNewer(
  tx: SqlTx,
  table: string,
  row: { aggregateId: string; version: number; values: Record<string, unknown> },
): Promise<boolean> {
  const cols = Object.keys(row.values);
  const names = ["aggregate_id", "version", ...cols].map(ident);
  const params = [row.aggregateId, row.version, ...cols.map((c) => row.values[c])];
  const t = ident(table);
  const applied = await tx.$queryRawUnsafe<unknown[]>(
    `INSERT INTO ${t} (${names.join(", ")}) VALUES (${params.map((_, i) => `$${i + 1}`).join(", ")})
     ON CONFLICT ("aggregate_id") DO UPDATE SET ${names.slice(1).map((n) => `${n} = EXCLUDED.${n}`).join(", ")}
     WHERE ${t}."version" < EXCLUDED."version"
     RETURNING 1`,
    ...params,
  );
  return applied.length > 0;
}
