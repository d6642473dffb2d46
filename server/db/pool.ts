import pg from "pg";

/** One connection pool per process, shared by every service's Prisma client and by raw SQL. */
export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  // Nor a checked-out one between queries (a transaction waiting on another service while the
  // database restarts): its next query fails, the caller sees that error, and the pool drops it.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/** Database name and a URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
