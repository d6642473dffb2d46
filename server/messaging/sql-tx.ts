import { createHash } from "node:crypto";
import type pg from "pg";
import type { ConsumerDefinition, SqlTx, TransactionalClient } from "./registry";
import type { ServiceName } from "./envelope";

export type SqlTransactionOptions = {
  timeout?: number;
  maxWait?: number;
  /** The commit does not wait for the WAL flush (synchronous_commit = off for this transaction). */
  asyncCommit?: boolean;
};

/** Statement text -> prepared statement name; bounded, so generated SQL cannot fill it. */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 256;

/**
 * The query config for a statement with parameters: named, so each connection parses and plans it
 * once and then reuses the plan. Consumers and producers send the same few statements thousands of
 * times a second with one or two rows each; planning them was most of PostgreSQL's CPU at such rates.
 */
function prepared(text: string, values: unknown[]): pg.QueryConfig {
  if (values.length === 0) return { text, values }; // may hold several statements, which cannot be prepared
  let name = preparedNames.get(text);
  if (!name && preparedNames.size < MAX_PREPARED) {
    name = `sy_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    preparedNames.set(text, name);
  }
  return name ? { name, text, values } : { text, values };
}

/**
 * Transactions straight on `pg` for consumers that write with SQL only (`transaction: "sql"`): the
 * same SqlTx surface as a Prisma transaction client, without the ORM's per-statement cost — measured
 * here as a tenth of a busy worker's CPU at several thousand events per second.
 */
export function sqlTransactions(pool: pg.Pool): TransactionalClient {
  return {
    async $transaction<T>(fn: (tx: SqlTx) => Promise<T>, opts: SqlTransactionOptions = {}): Promise<T> {
      const client = await pool.connect();
      const tx: SqlTx = {
        async $executeRawUnsafe(query: string, ...values: unknown[]) {
          return (await client.query(prepared(query, values))).rowCount ?? 0;
        },
        async $queryRawUnsafe<R>(query: string, ...values: unknown[]) {
          return (await client.query(prepared(query, values))).rows as R;
        },
      };
      try {
        // One round trip either way.
        await client.query(opts.asyncCommit ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

/** The client a consumer's transactions run on: its service's Prisma client, or plain `pg` for "sql" ones. */
export function consumerClient(
  consumer: ConsumerDefinition,
  pool: pg.Pool,
  clients: Record<ServiceName, TransactionalClient>,
): TransactionalClient {
  return consumer.transaction === "sql" ? sqlTransactions(pool) : clients[consumer.service];
}
