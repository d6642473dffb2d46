import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { DOMAIN_SCHEMAS } from "@/server/db/schemas";
import { idempotent } from "@/server/gateway/idempotency";
import { idempotentEngineerProcedure, protectedProcedure } from "@/server/gateway/procedures";
import {
  createReplayOperation,
  DeadLetterActionError,
  discardDeadLetters,
  editDeadLetterPayload,
} from "@/server/messaging/dead-letters/actions";
import { DeadLetterFilter, deadLetterCounts, getDeadLetter, groupDeadLetters, listDeadLetters } from "@/server/messaging/dead-letters/queries";
import { createEventReplayOperation, EventReplayParams, getOperation } from "@/server/messaging/event-replay";
import { listPartitions } from "@/server/messaging/event-store";
import { listUnsent, outboxSummary, retryFailed } from "@/server/messaging/outbox-admin";
import { buildSubscriptions } from "@/server/messaging/registry";
import { router } from "@/server/trpc/init";
import { messagingRegistry } from "@/workers/consumers";
import { enqueueJob } from "@/workers/jobs";

// Built on first use: this module is loaded while workers/consumers.ts may still be initialising
// (consumers call other services through server/service-calls.ts, which loads the root router).
let subs: ReturnType<typeof buildSubscriptions> | undefined;
const subscriptions = () => (subs ??= buildSubscriptions(messagingRegistry));
const service = z.enum(DOMAIN_SCHEMAS);
const ids = z.array(z.string().uuid()).min(1).max(1000);

/** Who the audit trail names: the email people recognise (the user id only when there is none). */
const actorOf = (p: { email: string | null; userId: string }) => p.email ?? p.userId;

/** Maps the messaging module's refusals to HTTP-meaningful tRPC errors. */
async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DeadLetterActionError) throw new TRPCError({ code: err.code, message: err.message });
    throw err;
  }
}

/** Dead letters, outboxes, replays: the on-call console's procedures (thin over server/messaging). */
export const messagingRouter = router({
  consumers: protectedProcedure.query(() =>
    messagingRegistry.consumers.map((c) => ({ name: c.name, service: c.service, eventTypes: c.eventTypes, canReset: Boolean(c.reset) })),
  ),

  deadLetters: router({
    counts: protectedProcedure.query(({ ctx }) => deadLetterCounts(ctx.app.db.messaging)),
    list: protectedProcedure
      .input(z.object({ filter: DeadLetterFilter.default({}), limit: z.number().int().min(1).max(200).default(50), cursor: z.string().uuid().optional() }))
      .query(({ ctx, input }) => listDeadLetters(ctx.app.db.messaging, input.filter, { limit: input.limit, cursor: input.cursor })),
    groups: protectedProcedure.input(z.object({ filter: DeadLetterFilter.default({}) })).query(({ ctx, input }) => groupDeadLetters(ctx.app.db.messaging, input.filter)),
    get: protectedProcedure.input(z.object({ id: z.string().uuid() })).query(async ({ ctx, input }) => {
      const dl = await getDeadLetter(ctx.app.db.messaging, input.id);
      if (!dl) throw new TRPCError({ code: "NOT_FOUND", message: `no dead letter ${input.id}` });
      return dl;
    }),
    replay: idempotentEngineerProcedure
      .input(z.union([z.object({ ids }), z.object({ filter: DeadLetterFilter })]))
      .mutation(
        idempotent(({ ctx, input }) =>
          mapped(async () => {
            const op = await createReplayOperation(ctx.app.db.messaging, input, actorOf(ctx.principal));
            await enqueueJob(ctx.app.queues, "messaging.dlq-replay", { operationId: op.id }, { jobId: op.id });
            return { operationId: op.id, total: op.total };
          }),
        ),
      ),
    edit: idempotentEngineerProcedure
      .input(z.object({ id: z.string().uuid(), payload: z.record(z.string(), z.unknown()), reason: z.string().max(500).optional(), replay: z.boolean().default(false) }))
      .mutation(
        idempotent(({ ctx, input }) =>
          mapped(async () => {
            await editDeadLetterPayload(ctx.app.db.messaging, input.id, input.payload, actorOf(ctx.principal), input.reason);
            if (!input.replay) return { operationId: null };
            const op = await createReplayOperation(ctx.app.db.messaging, { ids: [input.id] }, actorOf(ctx.principal));
            await enqueueJob(ctx.app.queues, "messaging.dlq-replay", { operationId: op.id }, { jobId: op.id });
            return { operationId: op.id };
          }),
        ),
      ),
    discard: idempotentEngineerProcedure
      .input(z.object({ ids, reason: z.string().trim().min(3, "say why (3+ characters)").max(500) }))
      .mutation(idempotent(({ ctx, input }) => mapped(async () => ({ discarded: await discardDeadLetters(ctx.app.db.messaging, input.ids, input.reason, actorOf(ctx.principal)) })))),
  }),

  operations: router({
    get: protectedProcedure.input(z.object({ id: z.string().uuid() })).query(async ({ ctx, input }) => {
      const op = await getOperation(ctx.app.db.messaging, ctx.app.pool, input.id);
      if (!op) throw new TRPCError({ code: "NOT_FOUND", message: `no operation ${input.id}` });
      return op;
    }),
    recent: protectedProcedure.query(({ ctx }) => ctx.app.db.messaging.operation.findMany({ orderBy: { createdAt: "desc" }, take: 20 })),
  }),

  outbox: router({
    summary: protectedProcedure.query(({ ctx }) => outboxSummary(ctx.app.pool)),
    unsent: protectedProcedure.input(z.object({ service })).query(({ ctx, input }) => listUnsent(ctx.app.pool, input.service)),
    retry: idempotentEngineerProcedure
      .input(z.object({ service, ids: ids.optional() }))
      .mutation(idempotent(async ({ ctx, input }) => ({ retried: await retryFailed(ctx.app.pool, input.service, input.ids) }))),
  }),

  eventStore: router({
    partitions: protectedProcedure.query(({ ctx }) => listPartitions(ctx.app.pool)),
    replay: idempotentEngineerProcedure.input(EventReplayParams).mutation(
      idempotent(async ({ ctx, input }) => {
        try {
          const op = await createEventReplayOperation(ctx.app.db.messaging, subscriptions(), input, actorOf(ctx.principal));
          await enqueueJob(ctx.app.queues, "messaging.event-replay", { operationId: op.id }, { jobId: op.id });
          return { operationId: op.id };
        } catch (err) {
          throw new TRPCError({ code: "BAD_REQUEST", message: (err as Error).message });
        }
      }),
    ),
  }),
});
