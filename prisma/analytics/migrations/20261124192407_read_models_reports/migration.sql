-- CreateTable
CREATE TABLE "analytics"."usage_daily" (
    "day" DATE NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("day","subject_type","subject_id","metric")
);

-- CreateTable
CREATE TABLE "analytics"."prompt_runs_daily" (
    "day" DATE NOT NULL,
    "model" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "template_id" TEXT NOT NULL DEFAULT '',
    "project_id" TEXT NOT NULL DEFAULT '',
    "runs" INTEGER NOT NULL,
    "prompt_tokens" BIGINT NOT NULL,
    "completion_tokens" BIGINT NOT NULL,
    "cost_usd" DECIMAL(18,6) NOT NULL,
    "latency_ms_sum" DOUBLE PRECISION NOT NULL,
    "latency_ms_max" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "prompt_runs_daily_pkey" PRIMARY KEY ("day","model","outcome","template_id","project_id")
);

-- CreateTable
CREATE TABLE "analytics"."ai_errors_daily" (
    "day" DATE NOT NULL,
    "model" TEXT NOT NULL,
    "error_code" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ai_errors_daily_pkey" PRIMARY KEY ("day","model","error_code")
);

-- CreateTable
CREATE TABLE "analytics"."subjects" (
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "name" TEXT,
    "name_version" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT,
    "status_version" INTEGER NOT NULL DEFAULT 0,
    "template_id" TEXT,
    "members" INTEGER,
    "members_version" INTEGER NOT NULL DEFAULT 0,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "subjects_pkey" PRIMARY KEY ("subject_type","subject_id")
);

-- CreateTable
CREATE TABLE "analytics"."usage_reports" (
    "id" UUID NOT NULL,
    "from_day" DATE NOT NULL,
    "to_day" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "trigger" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "correlation_id" TEXT,
    "schedule_key" TEXT,
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "usage_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics"."usage_report_rows" (
    "report_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "scope" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_name" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,

    CONSTRAINT "usage_report_rows_pkey" PRIMARY KEY ("report_id","seq")
);

-- CreateIndex
CREATE INDEX "usage_daily_subject_type_subject_id_day_idx" ON "analytics"."usage_daily"("subject_type", "subject_id", "day");

-- CreateIndex
CREATE INDEX "prompt_runs_daily_model_day_idx" ON "analytics"."prompt_runs_daily"("model", "day");

-- CreateIndex
CREATE UNIQUE INDEX "usage_reports_schedule_key_key" ON "analytics"."usage_reports"("schedule_key");

-- CreateIndex
CREATE INDEX "usage_reports_created_at_id_idx" ON "analytics"."usage_reports"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "event_feed_aggregate_id_occurred_at_idx" ON "analytics"."event_feed"("aggregate_id", "occurred_at");

-- CreateIndex
CREATE INDEX "event_feed_service_occurred_at_idx" ON "analytics"."event_feed"("service", "occurred_at");

-- AddForeignKey
ALTER TABLE "analytics"."usage_report_rows" ADD CONSTRAINT "usage_report_rows_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "analytics"."usage_reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
