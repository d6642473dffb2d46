-- Hand-written: Prisma cannot declare a natively partitioned table, so messaging.event_store is an
-- "external" table to the migration diff (server/db/schemas.ts) and is created here.
-- Partitions (one per month of occurred_at) are created ahead and dropped past retention by the
-- worker's maintenance job (server/messaging/event-store.ts).

CREATE TABLE "messaging"."event_store" (
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "aggregate_version" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "correlation_id" TEXT,

    CONSTRAINT "event_store_pkey" PRIMARY KEY ("event_id", "occurred_at")
) PARTITION BY RANGE ("occurred_at");

CREATE INDEX "event_store_event_type_published_at_idx" ON "messaging"."event_store" ("event_type", "published_at");
CREATE INDEX "event_store_aggregate_id_aggregate_version_idx" ON "messaging"."event_store" ("aggregate_id", "aggregate_version");
CREATE INDEX "event_store_correlation_id_idx" ON "messaging"."event_store" ("correlation_id") WHERE "correlation_id" IS NOT NULL;

-- Append-only: rows are never changed or deleted one by one (retention drops whole partitions).
CREATE FUNCTION "messaging"."event_store_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'messaging.event_store is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "event_store_append_only"
  BEFORE UPDATE OR DELETE ON "messaging"."event_store"
  FOR EACH ROW EXECUTE FUNCTION "messaging"."event_store_append_only"();
