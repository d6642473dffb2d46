/**
 * The PostgreSQL schemas Switchyard owns, in migration order. Each has its own Prisma schema and
 * migrations under `prisma/<name>/` and its own `_prisma_migrations` history inside that schema.
 * Domain services (Templator) first, then the portal's own.
 */
export const DOMAIN_SCHEMAS = ["auth", "templates", "ai", "projects", "assets", "analytics"] as const;
export const PORTAL_SCHEMAS = ["portal", "catalog", "messaging", "telemetry", "contracts"] as const;
export const ALL_SCHEMAS = [...DOMAIN_SCHEMAS, ...PORTAL_SCHEMAS] as const;

export type SchemaName = (typeof ALL_SCHEMAS)[number];

/** True when `name` is one of Switchyard's schemas. */
export function isSchemaName(name: string): name is SchemaName {
  return (ALL_SCHEMAS as readonly string[]).includes(name);
}

/**
 * Tables a schema creates with hand-written SQL that Prisma cannot express (natively partitioned
 * tables): the migration diff ignores them, the client can still query them.
 */
export const EXTERNAL_TABLES: Partial<Record<SchemaName, string[]>> = {
  messaging: ["messaging.event_store"],
  telemetry: ["telemetry.spans"],
};
