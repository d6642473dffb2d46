-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "contracts";

-- CreateTable
CREATE TABLE "contracts"."pacticipants" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pacticipants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."versions" (
    "id" UUID NOT NULL,
    "pacticipant_id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "branch" TEXT,
    "build_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."environments" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "production" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."deployments" (
    "id" UUID NOT NULL,
    "pacticipant_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "environment_id" UUID NOT NULL,
    "deployed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undeployed_at" TIMESTAMPTZ(3),

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."pact_contents" (
    "id" UUID NOT NULL,
    "sha" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pact_contents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."pacts" (
    "id" UUID NOT NULL,
    "consumer_version_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "content_id" UUID NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."verifications" (
    "id" UUID NOT NULL,
    "content_id" UUID NOT NULL,
    "provider_version_id" UUID NOT NULL,
    "success" BOOLEAN NOT NULL,
    "results" JSONB NOT NULL,
    "build_url" TEXT,
    "verified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."event_schemas" (
    "id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "event_version" INTEGER NOT NULL,
    "schema" JSONB NOT NULL,

    CONSTRAINT "event_schemas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts"."event_consumptions" (
    "id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "reader_schema" JSONB NOT NULL,

    CONSTRAINT "event_consumptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pacticipants_name_key" ON "contracts"."pacticipants"("name");

-- CreateIndex
CREATE UNIQUE INDEX "versions_pacticipant_id_number_key" ON "contracts"."versions"("pacticipant_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "environments_name_key" ON "contracts"."environments"("name");

-- CreateIndex
CREATE INDEX "deployments_environment_id_undeployed_at_idx" ON "contracts"."deployments"("environment_id", "undeployed_at");

-- CreateIndex
CREATE INDEX "deployments_version_id_idx" ON "contracts"."deployments"("version_id");

-- CreateIndex
CREATE UNIQUE INDEX "pact_contents_sha_key" ON "contracts"."pact_contents"("sha");

-- CreateIndex
CREATE INDEX "pacts_provider_id_idx" ON "contracts"."pacts"("provider_id");

-- CreateIndex
CREATE INDEX "pacts_content_id_idx" ON "contracts"."pacts"("content_id");

-- CreateIndex
CREATE UNIQUE INDEX "pacts_consumer_version_id_provider_id_key" ON "contracts"."pacts"("consumer_version_id", "provider_id");

-- CreateIndex
CREATE INDEX "verifications_content_id_provider_version_id_verified_at_idx" ON "contracts"."verifications"("content_id", "provider_version_id", "verified_at");

-- CreateIndex
CREATE INDEX "event_schemas_event_type_idx" ON "contracts"."event_schemas"("event_type");

-- CreateIndex
CREATE UNIQUE INDEX "event_schemas_version_id_event_type_key" ON "contracts"."event_schemas"("version_id", "event_type");

-- CreateIndex
CREATE INDEX "event_consumptions_event_type_idx" ON "contracts"."event_consumptions"("event_type");

-- CreateIndex
CREATE UNIQUE INDEX "event_consumptions_version_id_event_type_key" ON "contracts"."event_consumptions"("version_id", "event_type");

-- AddForeignKey
ALTER TABLE "contracts"."versions" ADD CONSTRAINT "versions_pacticipant_id_fkey" FOREIGN KEY ("pacticipant_id") REFERENCES "contracts"."pacticipants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."deployments" ADD CONSTRAINT "deployments_pacticipant_id_fkey" FOREIGN KEY ("pacticipant_id") REFERENCES "contracts"."pacticipants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."deployments" ADD CONSTRAINT "deployments_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "contracts"."versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."deployments" ADD CONSTRAINT "deployments_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "contracts"."environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."pacts" ADD CONSTRAINT "pacts_consumer_version_id_fkey" FOREIGN KEY ("consumer_version_id") REFERENCES "contracts"."versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."pacts" ADD CONSTRAINT "pacts_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "contracts"."pacticipants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."pacts" ADD CONSTRAINT "pacts_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "contracts"."pact_contents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."verifications" ADD CONSTRAINT "verifications_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "contracts"."pact_contents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."verifications" ADD CONSTRAINT "verifications_provider_version_id_fkey" FOREIGN KEY ("provider_version_id") REFERENCES "contracts"."versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."event_schemas" ADD CONSTRAINT "event_schemas_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "contracts"."versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts"."event_consumptions" ADD CONSTRAINT "event_consumptions_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "contracts"."versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma cannot declare a partial unique index; its diff keeps it): at most one current
-- deployment of a pacticipant per environment. A new deployment replaces the previous one there.
CREATE UNIQUE INDEX "deployments_current_key" ON "contracts"."deployments"("pacticipant_id", "environment_id") WHERE "undeployed_at" IS NULL;
