-- CreateTable
CREATE TABLE "assets"."assets" (
    "id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "assets_created_at_id_idx" ON "assets"."assets"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "assets_storage_key_idx" ON "assets"."assets"("storage_key");
