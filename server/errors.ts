import { TRPCError } from "@trpc/server";
import { middleware } from "./trpc/init";

/**
 * A refusal from domain code, in terms a caller can act on. Services throw it; the gateway turns it
 * into the matching tRPC error (and so HTTP status): NOT_FOUND 404, CONFLICT 409, BAD_REQUEST 400,
 * PRECONDITION_FAILED 412, FORBIDDEN 403.
 */
export class DomainError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST" | "PRECONDITION_FAILED" | "FORBIDDEN",
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Innermost middleware: maps a DomainError thrown by a procedure to its tRPC error. */
export const domainErrors = middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({ code: result.error.cause.code, message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});
