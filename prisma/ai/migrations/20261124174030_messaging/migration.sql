-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "ai";

-- CreateTable
CREATE TABLE "ai"."outbox" (
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
CREATE TABLE "ai"."inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "delivery" TEXT NOT NULL DEFAULT '',
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id","delivery")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "ai"."outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_status_occurred_at_idx" ON "ai"."outbox"("status", "occurred_at");

-- Hand-written: partial indexes Prisma cannot declare (its migration diff leaves them in place).
-- The dispatcher claims PENDING rows in commit order, and checks for an earlier unsent event of the
-- same aggregate; both scans stay small however many SENT rows the outbox holds.
CREATE INDEX "outbox_pending_seq_idx" ON "ai"."outbox" ("seq") WHERE "status" = 'PENDING';
CREATE INDEX "outbox_unsent_aggregate_seq_idx" ON "ai"."outbox" ("aggregate_id", "seq") WHERE "status" <> 'SENT';
