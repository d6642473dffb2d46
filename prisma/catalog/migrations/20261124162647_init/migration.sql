-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "catalog";

-- CreateTable
CREATE TABLE "catalog"."entities" (
    "id" UUID NOT NULL,
    "ref" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT 'default',
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "owner" TEXT,
    "lifecycle" TEXT,
    "system" TEXT,
    "type" TEXT,
    "tags" TEXT[],
    "metadata" JSONB NOT NULL,
    "spec" JSONB NOT NULL,
    "source_path" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "entities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog"."relations" (
    "source_ref" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "target_ref" TEXT NOT NULL,

    CONSTRAINT "relations_pkey" PRIMARY KEY ("source_ref","type","target_ref")
);

-- CreateTable
CREATE TABLE "catalog"."sync_runs" (
    "id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "job_id" TEXT,
    "status" TEXT NOT NULL,
    "upserted" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "entities_ref_key" ON "catalog"."entities"("ref");

-- CreateIndex
CREATE INDEX "entities_owner_idx" ON "catalog"."entities"("owner");

-- CreateIndex
CREATE INDEX "entities_system_idx" ON "catalog"."entities"("system");

-- CreateIndex
CREATE UNIQUE INDEX "entities_kind_namespace_name_key" ON "catalog"."entities"("kind", "namespace", "name");

-- CreateIndex
CREATE INDEX "relations_target_ref_type_idx" ON "catalog"."relations"("target_ref", "type");

-- CreateIndex
CREATE INDEX "sync_runs_started_at_idx" ON "catalog"."sync_runs"("started_at");

-- AddForeignKey
ALTER TABLE "catalog"."relations" ADD CONSTRAINT "relations_source_ref_fkey" FOREIGN KEY ("source_ref") REFERENCES "catalog"."entities"("ref") ON DELETE CASCADE ON UPDATE CASCADE;
