import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/tests/helpers/test-app";
import { sqlTransactions } from "./sql-tx";

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  // One connection, so every transaction below runs on the same session and sees its prepared statements.
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
  await pool.query(`CREATE TABLE analytics.sqltx_rows (id int PRIMARY KEY, label text NOT NULL)`);
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

const ours = async (tx: { $queryRawUnsafe<R>(q: string, ...v: unknown[]): Promise<R> }) =>
  tx.$queryRawUnsafe<{ statement: string }[]>(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'sy\\_%' ORDER BY statement`);

describe("SQL transactions for consumers and producers", () => {
  it("prepare a parameterised statement once per connection and reuse it, and still run parameterless multi-statement text", async () => {
    const client = sqlTransactions(pool);
    const insert = `INSERT INTO analytics.sqltx_rows (id, label) SELECT * FROM unnest($1::int[], $2::text[])`;
    await client.$transaction((tx) => tx.$executeRawUnsafe(insert, [1, 2], ["one", "two"]));
    const inserted = await client.$transaction(async (tx) => tx.$executeRawUnsafe(insert, [3], ["three"]));
    expect(inserted).toBe(1);

    // Two statements in one text cannot be prepared; they run as a simple query.
    await client.$transaction((tx) => tx.$executeRawUnsafe(`UPDATE analytics.sqltx_rows SET label = upper(label) WHERE id = 1; DELETE FROM analytics.sqltx_rows WHERE id = 2`));

    const rows = await client.$transaction((tx) => tx.$queryRawUnsafe<{ id: number; label: string }[]>(`SELECT id, label FROM analytics.sqltx_rows WHERE id = ANY($1) ORDER BY id`, [1, 2, 3]));
    expect(rows).toEqual([
      { id: 1, label: "ONE" },
      { id: 3, label: "three" },
    ]);
    const prepared = await client.$transaction((tx) => ours(tx));
    expect(prepared.map((p) => p.statement)).toEqual([insert, `SELECT id, label FROM analytics.sqltx_rows WHERE id = ANY($1) ORDER BY id`]);
  });

  it("roll back everything when a statement fails, and leave the connection usable", async () => {
    const client = sqlTransactions(pool);
    await expect(
      client.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO analytics.sqltx_rows (id, label) VALUES ($1, $2)`, 10, "kept?");
        await tx.$executeRawUnsafe(`INSERT INTO analytics.sqltx_rows (id, label) VALUES ($1, $2)`, 10, "duplicate");
      }),
    ).rejects.toThrow(/duplicate key/);
    const left = await client.$transaction((tx) => tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM analytics.sqltx_rows WHERE id = $1`, 10));
    expect(left).toEqual([{ n: 0 }]);
  });

  it("commit asynchronously only when asked", async () => {
    const client = sqlTransactions(pool);
    const setting = `SELECT current_setting('synchronous_commit') AS s WHERE $1::int = 1`;
    const asked = await client.$transaction((tx) => tx.$queryRawUnsafe<{ s: string }[]>(setting, 1), { asyncCommit: true });
    const plain = await client.$transaction((tx) => tx.$queryRawUnsafe<{ s: string }[]>(setting, 1));
    expect(asked).toEqual([{ s: "off" }]);
    expect(plain).toEqual([{ s: "on" }]);
  });
});
