-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "messaging";

-- CreateTable
CREATE TABLE "messaging"."dead_letters" (
    "id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "edited_payload" JSONB,
    "error_type" TEXT NOT NULL,
    "error_message" TEXT NOT NULL,
    "stack" TEXT,
    "fingerprint" TEXT NOT NULL,
    "unrecoverable" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL,
    "first_failed_at" TIMESTAMPTZ(3) NOT NULL,
    "last_failed_at" TIMESTAMPTZ(3) NOT NULL,
    "trace_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'dead',
    "replay_count" INTEGER NOT NULL DEFAULT 0,
    "discard_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messaging"."dead_letter_actions" (
    "id" UUID NOT NULL,
    "dead_letter_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "operation_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messaging"."operations" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "actor" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "operations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dead_letters_status_last_failed_at_idx" ON "messaging"."dead_letters"("status", "last_failed_at");

-- CreateIndex
CREATE INDEX "dead_letters_fingerprint_status_idx" ON "messaging"."dead_letters"("fingerprint", "status");

-- CreateIndex
CREATE INDEX "dead_letters_consumer_status_idx" ON "messaging"."dead_letters"("consumer", "status");

-- CreateIndex
CREATE UNIQUE INDEX "dead_letters_consumer_event_id_key" ON "messaging"."dead_letters"("consumer", "event_id");

-- CreateIndex
CREATE INDEX "dead_letter_actions_dead_letter_id_at_idx" ON "messaging"."dead_letter_actions"("dead_letter_id", "at");

-- CreateIndex
CREATE INDEX "operations_created_at_idx" ON "messaging"."operations"("created_at");

-- AddForeignKey
ALTER TABLE "messaging"."dead_letter_actions" ADD CONSTRAINT "dead_letter_actions_dead_letter_id_fkey" FOREIGN KEY ("dead_letter_id") REFERENCES "messaging"."dead_letters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
