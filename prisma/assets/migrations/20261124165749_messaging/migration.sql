-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "assets";

-- CreateTable
CREATE TABLE "assets"."outbox" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "aggregate_version" INTEGER NOT NULL,
    "event_type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "correlation_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assets"."inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "delivery" TEXT NOT NULL DEFAULT '',
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id","delivery")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "assets"."outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_status_occurred_at_idx" ON "assets"."outbox"("status", "occurred_at");

-- CreateIndex
CREATE INDEX "outbox_status_seq_idx" ON "assets"."outbox"("status", "seq");

-- CreateIndex
CREATE INDEX "outbox_aggregate_id_status_seq_idx" ON "assets"."outbox"("aggregate_id", "status", "seq");
