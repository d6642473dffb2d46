/**
 * Where integration and end-to-end tests find the real PostgreSQL and Redis (the CI machine's
 * services by default). Each test file gets its own database and Redis key prefix from these.
 */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
