-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "telemetry";

-- CreateTable
CREATE TABLE "telemetry"."resources" (
    "id" BYTEA NOT NULL,
    "service_name" TEXT NOT NULL,
    "attributes" JSONB NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "resources_service_name_idx" ON "telemetry"."resources"("service_name");

-- CreateIndex
CREATE INDEX "resources_last_seen_idx" ON "telemetry"."resources"("last_seen");

-- ---- Hand-written below -------------------------------------------------------------------------------
-- Prisma cannot declare a natively partitioned table (nor INCLUDE columns, GIN operator classes or BRIN), so
-- telemetry.spans is an "external" table to the migration diff (server/db/schemas.ts) and is created here.
-- Partitions (one per UTC day of start_time, spans_yYYYYmMMdDD) are created ahead and dropped past
-- SPAN_RETENTION_DAYS by the worker's telemetry.maintain job (services/telemetry/maintenance.ts); the
-- ingest writer creates a missing day on first use. Every index costs the write path (measured in
-- docs/decisions/011-otlp-ingest.md), so there are few, and text that is indexed compares bytewise ("C").

CREATE TABLE "telemetry"."spans" (
    "trace_id" BYTEA NOT NULL,
    "span_id" BYTEA NOT NULL,
    "parent_span_id" BYTEA,
    "trace_state" TEXT,
    "flags" INTEGER,
    "resource_id" BYTEA NOT NULL,
    "service_name" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "kind" SMALLINT NOT NULL,
    "start_time" TIMESTAMPTZ(6) NOT NULL,
    "end_time" TIMESTAMPTZ(6) NOT NULL,
    "duration_ns" BIGINT NOT NULL,
    "status_code" SMALLINT NOT NULL,
    "status_message" TEXT,
    "http_route" TEXT COLLATE "C",
    "http_method" TEXT COLLATE "C",
    "http_status_code" INTEGER,
    "db_system" TEXT COLLATE "C",
    "messaging_system" TEXT COLLATE "C",
    "messaging_destination" TEXT COLLATE "C",
    "peer_service" TEXT COLLATE "C",
    "scope_name" TEXT,
    "scope_version" TEXT,
    "attributes" JSONB NOT NULL,
    "events" JSONB,
    "links" JSONB,

    -- A trace by id is an index range scan; a re-sent span (an exporter retrying after a lost answer) is
    -- stored once (the writer falls back to INSERT ... ON CONFLICT DO NOTHING when COPY meets a duplicate).
    CONSTRAINT "spans_pkey" PRIMARY KEY ("trace_id", "span_id", "start_time")
) PARTITION BY RANGE ("start_time");

-- Search by service over a time range (newest first), filtering operation, duration and status inside the
-- index (INCLUDE: no heap visit, and no extra sort keys to maintain).
CREATE INDEX "spans_service_name_start_time_idx" ON "telemetry"."spans" ("service_name", "start_time")
  INCLUDE ("name", "duration_ns", "status_code");
-- Any service over a time range: spans arrive roughly in time order, so a BRIN index is tiny and cheap.
CREATE INDEX "spans_start_time_idx" ON "telemetry"."spans" USING BRIN ("start_time");
-- Attribute search for any key (`attributes @> '{"http.route": "/templates"}'`), without a scan.
CREATE INDEX "spans_attributes_idx" ON "telemetry"."spans" USING GIN ("attributes" jsonb_path_ops);
