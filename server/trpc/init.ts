import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { ProcedureMeta } from "../rest/meta";
import type { TRPCContext } from "./context";

/**
 * tRPC, once. Validation failures carry zod's flattened issues so clients can say what was wrong.
 * Procedures may declare `meta({ rest })` to be served as public REST too (server/rest/).
 */
export const t = initTRPC.context<TRPCContext>().meta<ProcedureMeta>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        zodError: error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
