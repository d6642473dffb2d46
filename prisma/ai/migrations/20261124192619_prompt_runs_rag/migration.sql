-- CreateTable
CREATE TABLE "ai"."prompt_runs" (
    "id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "template_id" UUID,
    "template_version" INTEGER,
    "project_id" UUID,
    "prompt_tokens" INTEGER NOT NULL,
    "completion_tokens" INTEGER NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "cost_usd" DECIMAL(12,6) NOT NULL,
    "outcome" TEXT NOT NULL,
    "error_code" TEXT,
    "error_message" TEXT,
    "output" TEXT,
    "correlation_id" TEXT,
    "requested_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prompt_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai"."rag_documents" (
    "source_type" TEXT NOT NULL,
    "source_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "source_version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "chunk_count" INTEGER NOT NULL,
    "indexed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rag_documents_pkey" PRIMARY KEY ("source_type","source_id")
);

-- CreateTable
CREATE TABLE "ai"."rag_chunks" (
    "id" BIGSERIAL NOT NULL,
    "source_type" TEXT NOT NULL,
    "source_id" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "passage" TEXT NOT NULL,
    "tsv" tsvector NOT NULL,

    CONSTRAINT "rag_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai"."project_starters" (
    "project_id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "template_version" INTEGER NOT NULL,
    "run_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "content" TEXT,
    "correlation_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_starters_pkey" PRIMARY KEY ("project_id")
);

-- CreateIndex
CREATE INDEX "prompt_runs_created_at_id_idx" ON "ai"."prompt_runs"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "prompt_runs_project_id_idx" ON "ai"."prompt_runs"("project_id");

-- CreateIndex
CREATE INDEX "prompt_runs_template_id_idx" ON "ai"."prompt_runs"("template_id");

-- CreateIndex
CREATE INDEX "rag_chunks_tsv_idx" ON "ai"."rag_chunks" USING GIN ("tsv");

-- CreateIndex
CREATE UNIQUE INDEX "rag_chunks_source_type_source_id_ordinal_key" ON "ai"."rag_chunks"("source_type", "source_id", "ordinal");

-- AddForeignKey
ALTER TABLE "ai"."rag_chunks" ADD CONSTRAINT "rag_chunks_source_type_source_id_fkey" FOREIGN KEY ("source_type", "source_id") REFERENCES "ai"."rag_documents"("source_type", "source_id") ON DELETE CASCADE ON UPDATE CASCADE;
