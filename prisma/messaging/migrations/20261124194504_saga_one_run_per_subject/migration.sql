-- At most one unfinished run of a saga per subject (e.g. one publication of a template at a time).
-- Hand-written: Prisma cannot declare partial indexes (its diff keeps them).
CREATE UNIQUE INDEX "saga_instances_one_active_per_subject" ON "messaging"."saga_instances" ("saga", "subject")
  WHERE "status" IN ('running', 'compensating');
