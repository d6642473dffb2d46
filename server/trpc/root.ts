import { analyticsRouter } from "@/services/analytics/router";
import { aiRouter } from "@/services/ai/router";
import { assetsRouter } from "@/services/assets/router";
import { authRouter } from "@/services/auth/router";
import { catalogRouter } from "@/services/catalog/router";
import { contractsRouter } from "@/services/contracts/router";
import { chaosRouter } from "@/services/messaging/chaos-router";
import { messagingRouter } from "@/services/messaging/router";
import { projectsRouter } from "@/services/projects/router";
import { sagasRouter } from "@/services/messaging/sagas-router";
import { telemetryRouter } from "@/services/telemetry/router";
import { templatesRouter } from "@/services/templates/router";
import { createCallerFactory, router } from "./init";

/** Every service's procedures, under one router. */
export const appRouter = router({
  analytics: analyticsRouter,
  ai: aiRouter,
  assets: assetsRouter,
  auth: authRouter,
  catalog: catalogRouter,
  contracts: contractsRouter,
  chaos: chaosRouter,
  messaging: messagingRouter,
  projects: projectsRouter,
  sagas: sagasRouter,
  telemetry: telemetryRouter,
  templates: templatesRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) through the same middleware chain. */
export const createCaller = createCallerFactory(appRouter);
