-- CreateTable
CREATE TABLE "telemetry"."red_rollups" (
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "service_name" TEXT NOT NULL,
    "span_name" TEXT NOT NULL,
    "span_kind" SMALLINT NOT NULL,
    "status_code" SMALLINT NOT NULL,
    "calls" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "duration_sum_ms" DOUBLE PRECISION NOT NULL,
    "buckets" BIGINT[],

    CONSTRAINT "red_rollups_pkey" PRIMARY KEY ("service_name","minute","span_name","span_kind","status_code")
);

-- CreateTable
CREATE TABLE "telemetry"."rollup_state" (
    "id" TEXT NOT NULL,
    "watermark" TIMESTAMPTZ(6) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollup_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "telemetry"."slo_objectives" (
    "service_name" TEXT NOT NULL,
    "availability_target" DOUBLE PRECISION NOT NULL,
    "latency_threshold_ms" DOUBLE PRECISION NOT NULL,
    "latency_target" DOUBLE PRECISION NOT NULL,
    "window_days" INTEGER NOT NULL DEFAULT 30,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slo_objectives_pkey" PRIMARY KEY ("service_name")
);

-- CreateIndex
CREATE INDEX "red_rollups_minute_idx" ON "telemetry"."red_rollups"("minute");

-- ---- Hand-written below -------------------------------------------------------------------------------
-- The RED rollup's ingest watermark (docs/decisions/012-red-rollups.md). telemetry.spans is external to the
-- Prisma diff, so its new column is added here. `now()` is the storing transaction's start, which is also
-- pg_stat_activity.xact_start: the rollup never moves its watermark past a transaction still in progress, so
-- every committed span is counted exactly once however late it arrives. COPY lists its columns, so the
-- default applies (a non-volatile default: no table rewrite; existing spans get the migration's time and are
-- counted by the first run). Spans written through the duplicate-skipping path (INSERT ... SELECT * from a
-- temp table LIKE spans) arrive with NULL; the rollup counts and stamps those in the same statement.
ALTER TABLE "telemetry"."spans" ADD COLUMN "received_at" TIMESTAMPTZ(6) DEFAULT now();
-- Spans are stored in received order, so within each day partition a BRIN range is tight (late spans are
-- appended at the end of their old day's partition). BRIN also answers `received_at IS NULL`.
CREATE INDEX "spans_received_at_idx" ON "telemetry"."spans" USING BRIN ("received_at");
