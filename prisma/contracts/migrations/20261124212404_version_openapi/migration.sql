-- AlterTable
ALTER TABLE "contracts"."versions" ADD COLUMN     "openapi" JSONB;
