-- CreateTable
CREATE TABLE "messaging"."consumer_cursors" (
    "consumer" TEXT NOT NULL,
    "swept_until" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consumer_cursors_pkey" PRIMARY KEY ("consumer")
);
