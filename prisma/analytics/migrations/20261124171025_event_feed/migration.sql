-- CreateTable
CREATE TABLE "analytics"."event_feed" (
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "aggregate_version" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "correlation_id" TEXT,
    "trace_id" TEXT,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_feed_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "event_feed_occurred_at_idx" ON "analytics"."event_feed"("occurred_at");

-- CreateIndex
CREATE INDEX "event_feed_event_type_occurred_at_idx" ON "analytics"."event_feed"("event_type", "occurred_at");

-- CreateIndex
CREATE INDEX "event_feed_correlation_id_idx" ON "analytics"."event_feed"("correlation_id");
