import { domainErrors } from "../errors";
import { t } from "../trpc/init";
import { authenticate, requirePrincipal, requireRole, requireService } from "./auth";
import { idempotency } from "./idempotency";
import { requestLogging } from "./logging";
import { traceContext } from "./tracing";

/**
 * The gateway's middleware chain, in front of every procedure:
 *   trace context -> authentication -> request logging -> [rate limiting] -> idempotency -> domain errors -> procedure
 * Logging follows authentication so each line names the caller; rate limiting and idempotency come
 * after logging (they are keyed by principal, and their refusals are logged).
 */
const gateway = t.procedure.use(traceContext).use(authenticate).use(requestLogging);

/** Anyone, signed in or not. */
export const publicProcedure = gateway.use(domainErrors);
/** Signed-in callers. */
export const protectedProcedure = gateway.use(requirePrincipal).use(domainErrors);
/** Signed-in engineers and admins (changes to shared state); an Idempotency-Key is honoured if sent. */
export const engineerProcedure = gateway.use(requireRole("engineer")).use(idempotency({ required: false })).use(domainErrors);
/** Engineer mutations that must carry an Idempotency-Key (400 without one). */
export const idempotentEngineerProcedure = gateway.use(requireRole("engineer")).use(idempotency({ required: true })).use(domainErrors);
/** Signed-in admins. */
export const adminProcedure = gateway.use(requireRole("admin")).use(domainErrors);
/** Services calling each other in-process (saga steps, consumers); not reachable by people or over HTTP. */
export const serviceProcedure = gateway.use(requireService).use(domainErrors);
