import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { hasRole, hasScope } from "@/server/auth/principal";
import { protectedProcedure } from "@/server/gateway/procedures";
import { serviceCaller } from "@/server/service-calls";
import type { AppContext } from "@/server/app";
import { middleware, router } from "@/server/trpc/init";
import { getServiceConsumers, getServiceContracts, listContractServices, observationWindow } from "./browser";
import type { TObservedEdges } from "./browser-consumers";
import { diffContractVersions } from "./browser-diff";
import { contractMatrix } from "./browser-matrix";
import { canIDeploy } from "./can-i-deploy";
import { listEnvironments, recordDeployment, recordUndeployment, saveEnvironment } from "./deployments";
import { getMatrix } from "./matrix";
import { publishContracts } from "./publish";
import {
  BrowserConsumersInput,
  BrowserDiffInput,
  BrowserServiceInput,
  BrowserServicesInput,
  CanIDeployInput,
  CanIDeployResult,
  DeploymentInput,
  DeploymentResult,
  EnvironmentInput,
  EnvironmentView,
  MatrixInput,
  MatrixResult,
  PublishInput,
  PublishResult,
  UndeploymentInput,
  UndeploymentResult,
  VerificationInput,
  VerificationResult,
} from "./schemas";
import { recordVerification } from "./verifications";

/** The scope a CI token needs to change the broker's record. */
export const PUBLISH_SCOPE = "contracts:publish";

/** Machines with the contracts:publish scope, or engineers (people, and services in-process). */
const requirePublisher = middleware(async ({ ctx, next }) => {
  const p = ctx.principal;
  if (!p) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first, or send a token (Authorization: Bearer)" });
  if (!hasScope(p, PUBLISH_SCOPE) && !hasRole(p, "engineer")) {
    throw new TRPCError({ code: "FORBIDDEN", message: `needs the ${PUBLISH_SCOPE} scope (or the engineer role)` });
  }
  return next();
});

const publisherProcedure = protectedProcedure.use(requirePublisher);
const tags = ["contracts"];

/** Observed consumers come from the telemetry service's public procedure (never its tables). */
const observedEdges =
  (app: AppContext): TObservedEdges =>
  (range) =>
    serviceCaller(app, "contracts").telemetry.graph(range);

/** The portal's contract browser (signed-in reads; docs/decisions/013-contract-browser.md). */
const browserRouter = router({
  services: protectedProcedure.input(BrowserServicesInput).query(({ ctx, input }) => listContractServices(ctx.app.config.rootDir, ctx.app.db.contracts, observedEdges(ctx.app), observationWindow(input.hours))),
  service: protectedProcedure.input(BrowserServiceInput).query(({ ctx, input }) => getServiceContracts(ctx.app.config.rootDir, ctx.app.db.contracts, input.service)),
  consumers: protectedProcedure
    .input(BrowserConsumersInput)
    .query(({ ctx, input }) => getServiceConsumers(ctx.app.config.rootDir, ctx.app.db.contracts, observedEdges(ctx.app), input.service, observationWindow(input.hours))),
  diff: protectedProcedure.input(BrowserDiffInput).query(({ ctx, input }) => diffContractVersions(ctx.app.config.rootDir, ctx.app.db.contracts, input)),
  matrix: protectedProcedure.input(z.object({}).default({})).query(({ ctx }) => contractMatrix(ctx.app.db.contracts)),
});

/**
 * The contract broker (docs/decisions/010-contract-broker.md): what CI publishes (pacts, verification
 * results, event schemas, deployments) and asks (can-i-deploy, the matrix). tRPC and REST under /api/v1.
 */
export const contractsRouter = router({
  browser: browserRouter,

  publish: publisherProcedure
    .meta({ rest: { method: "POST", path: "/contracts/publish", summary: "Publish a pacticipant version's pacts, event schemas and event reads", tags } })
    .input(PublishInput)
    .output(PublishResult)
    .mutation(({ ctx, input }) => publishContracts(ctx.app.db.contracts, input)),

  recordVerification: publisherProcedure
    .meta({ rest: { method: "POST", path: "/contracts/verifications", summary: "Record a provider version's verification of a pact", tags, successStatus: 201 } })
    .input(VerificationInput)
    .output(VerificationResult)
    .mutation(({ ctx, input }) => recordVerification(ctx.app.db.contracts, input)),

  environments: protectedProcedure
    .meta({ rest: { method: "GET", path: "/contracts/environments", summary: "List environments", tags } })
    .input(z.object({}))
    .output(z.array(EnvironmentView))
    .query(({ ctx }) => listEnvironments(ctx.app.db.contracts)),

  saveEnvironment: publisherProcedure
    .meta({ rest: { method: "POST", path: "/contracts/environments", summary: "Create an environment or change its production flag", tags } })
    .input(EnvironmentInput)
    .output(EnvironmentView)
    .mutation(({ ctx, input }) => saveEnvironment(ctx.app.db.contracts, input)),

  recordDeployment: publisherProcedure
    .meta({ rest: { method: "POST", path: "/contracts/deployments", summary: "Record a deployment (it replaces the pacticipant's previous one there)", tags, successStatus: 201 } })
    .input(DeploymentInput)
    .output(DeploymentResult)
    .mutation(({ ctx, input }) => recordDeployment(ctx.app.db.contracts, input)),

  recordUndeployment: publisherProcedure
    .meta({ rest: { method: "POST", path: "/contracts/undeployments", summary: "Record that a pacticipant no longer runs in an environment", tags } })
    .input(UndeploymentInput)
    .output(UndeploymentResult)
    .mutation(({ ctx, input }) => recordUndeployment(ctx.app.db.contracts, input)),

  canIDeploy: protectedProcedure
    .meta({ rest: { method: "GET", path: "/contracts/can-i-deploy", summary: "Can this version be deployed to this environment? yes, no or unknown, with the reasons", tags } })
    .input(CanIDeployInput)
    .output(CanIDeployResult)
    .query(({ ctx, input }) => canIDeploy(ctx.app.db.contracts, input)),

  matrix: protectedProcedure
    .meta({ rest: { method: "GET", path: "/contracts/matrix", summary: "Pacts of a pacticipant with their verifications and deployments", tags } })
    .input(MatrixInput)
    .output(MatrixResult)
    .query(({ ctx, input }) => getMatrix(ctx.app.db.contracts, input)),
});
