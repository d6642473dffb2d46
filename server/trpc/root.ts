import { authRouter } from "@/services/auth/router";
import { catalogRouter } from "@/services/catalog/router";
import { messagingRouter } from "@/services/messaging/router";
import { templatesRouter } from "@/services/templates/router";
import { createCallerFactory, router } from "./init";

/** Every service's procedures, under one router. */
export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  messaging: messagingRouter,
  templates: templatesRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) through the same middleware chain. */
export const createCaller = createCallerFactory(appRouter);
