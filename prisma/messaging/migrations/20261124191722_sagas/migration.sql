-- CreateTable
CREATE TABLE "messaging"."saga_instances" (
    "id" UUID NOT NULL,
    "saga" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "current_step" INTEGER NOT NULL DEFAULT 0,
    "correlation_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "started_by" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "saga_instances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messaging"."saga_steps" (
    "instance_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "output" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "saga_steps_pkey" PRIMARY KEY ("instance_id","index","phase")
);

-- CreateIndex
CREATE INDEX "saga_instances_saga_started_at_idx" ON "messaging"."saga_instances"("saga", "started_at");

-- CreateIndex
CREATE INDEX "saga_instances_subject_idx" ON "messaging"."saga_instances"("subject");

-- CreateIndex
CREATE INDEX "saga_instances_correlation_id_idx" ON "messaging"."saga_instances"("correlation_id");

-- AddForeignKey
ALTER TABLE "messaging"."saga_steps" ADD CONSTRAINT "saga_steps_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "messaging"."saga_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;
