import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Messaging = inferRouterOutputs<AppRouter>["messaging"];

/** What the messaging procedures return, as the console's components see it. */
export type DeadLetterSummary = Messaging["deadLetters"]["list"]["items"][number];
export type DeadLetterGroup = Messaging["deadLetters"]["groups"][number];
export type DeadLetterFull = Messaging["deadLetters"]["get"];
export type AuditAction = DeadLetterFull["actions"][number];
export type Operation = Messaging["operations"]["get"];
export type ConsumerInfo = Messaging["consumers"][number];
export type OutboxSummaryRow = Messaging["outbox"]["summary"][number];
export type OutboxEventRow = Messaging["outbox"]["unsent"][number];
export type Partition = Messaging["eventStore"]["partitions"][number];
