import { z } from "zod";

/** A pacticipant (service) or environment name. */
export const Name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-', starting with a letter or digit");
/** A version number as CI knows it: a git sha, a semver, a build number. */
export const VersionNumber = z.string().trim().min(1).max(200);
const JsonObject = z.record(z.string(), z.unknown());

export const PublishInput = z
  .object({
    pacticipant: Name.describe("The publishing service (the consumer of its pacts)"),
    version: VersionNumber,
    branch: z.string().trim().min(1).max(200).optional(),
    buildUrl: z.string().url().max(2000).optional(),
    pacts: z
      .array(z.object({ provider: Name, content: JsonObject.describe("The pact file as pact-js wrote it") }))
      .max(100)
      .default([]),
    /** The OpenAPI document of the HTTP API this version provides; when given, replaces what was published. */
    openapi: JsonObject.optional().describe("The OpenAPI 3 document of the HTTP API this version provides (contracts/openapi/<service>.json)"),
    /** Event schemas this version writes; when given, replaces what was published for the version. */
    eventSchemas: z
      .array(z.object({ eventType: z.string().min(1).max(200), eventVersion: z.number().int().min(1), schema: JsonObject }))
      .max(500)
      .optional(),
    /** Event types this version reads, with its reader schemas; when given, replaces what was published. */
    eventReads: z
      .array(z.object({ eventType: z.string().min(1).max(200), readerSchema: JsonObject }))
      .max(500)
      .optional(),
  })
  .meta({ id: "PublishContractsInput" });

export const PublishResult = z
  .object({
    pacticipant: z.string(),
    version: z.string(),
    pacts: z.array(
      z.object({
        provider: z.string(),
        sha: z.string(),
        kind: z.string(),
        interactions: z.number().int(),
        /** Provider versions that already verified this content (for another consumer version, say). */
        verifiedBy: z.array(z.object({ providerVersion: z.string(), success: z.boolean() })),
      }),
    ),
    eventSchemas: z.number().int(),
    eventReads: z.number().int(),
  })
  .meta({ id: "PublishContractsResult" });

export const InteractionResult = z.object({
  interaction: z.string().min(1).max(1000),
  success: z.boolean(),
  mismatches: z.array(z.unknown()).max(100).optional(),
});

export const VerificationInput = z
  .object({
    provider: Name,
    providerVersion: VersionNumber,
    branch: z.string().trim().min(1).max(200).optional(),
    buildUrl: z.string().url().max(2000).optional(),
    consumer: Name,
    consumerVersion: VersionNumber.describe("The consumer version whose pact was verified"),
    success: z.boolean(),
    results: z.array(InteractionResult).max(1000).default([]),
  })
  .meta({ id: "VerificationInput" });

export const VerificationResult = z
  .object({
    id: z.string().uuid(),
    provider: z.string(),
    providerVersion: z.string(),
    consumer: z.string(),
    consumerVersion: z.string(),
    sha: z.string(),
    success: z.boolean(),
    /** Other consumer versions with the same pact content, covered by this verification too. */
    alsoCovers: z.array(z.string()),
  })
  .meta({ id: "VerificationResult" });

export const EnvironmentInput = z.object({ name: Name, production: z.boolean().default(false) }).meta({ id: "EnvironmentInput" });
export const EnvironmentView = z.object({ name: z.string(), production: z.boolean() }).meta({ id: "Environment" });

export const DeploymentInput = z.object({ pacticipant: Name, version: VersionNumber, environment: Name }).meta({ id: "DeploymentInput" });
export const DeploymentResult = z
  .object({
    pacticipant: z.string(),
    version: z.string(),
    environment: z.string(),
    deployedAt: z.date(),
    /** The version this deployment replaced in the environment, if any. */
    replaced: z.string().nullable(),
  })
  .meta({ id: "DeploymentResult" });

export const UndeploymentInput = z
  .object({ pacticipant: Name, environment: Name, version: VersionNumber.optional().describe("Only if this version is the one deployed") })
  .meta({ id: "UndeploymentInput" });
export const UndeploymentResult = z.object({ undeployed: z.string().nullable() }).meta({ id: "UndeploymentResult" });

export const Outcome = z.enum(["yes", "no", "unknown"]);
export type TOutcome = z.infer<typeof Outcome>;

export const Reason = z.object({
  /** pact-as-consumer, pact-as-provider, event-written, event-read, or setup */
  check: z.string(),
  outcome: Outcome,
  message: z.string(),
  /** For event checks that fail: the incompatible changes, explained. */
  changes: z.array(z.object({ id: z.string(), level: z.string(), path: z.string(), message: z.string(), explanation: z.string().optional(), fix: z.string().optional() })).optional(),
});
export type TReason = z.infer<typeof Reason>;

export const CanIDeployInput = z.object({ pacticipant: Name, version: VersionNumber, environment: Name }).meta({ id: "CanIDeployInput" });
export const CanIDeployResult = z
  .object({ pacticipant: z.string(), version: z.string(), environment: z.string(), result: Outcome, reasons: z.array(Reason) })
  .meta({ id: "CanIDeployResult" });

export const MatrixInput = z.object({ pacticipant: Name, version: VersionNumber.optional(), limit: z.number().int().min(1).max(1000).default(200) }).meta({ id: "MatrixInput" });
export const MatrixRow = z.object({
  consumer: z.string(),
  consumerVersion: z.string(),
  consumerBranch: z.string().nullable(),
  provider: z.string(),
  providerVersion: z.string().nullable(),
  kind: z.string(),
  sha: z.string(),
  /** null: not verified by any version of the provider yet. */
  success: z.boolean().nullable(),
  verifiedAt: z.date().nullable(),
  consumerDeployedIn: z.array(z.string()),
  providerDeployedIn: z.array(z.string()),
});
export const MatrixResult = z.object({ rows: z.array(MatrixRow) }).meta({ id: "ContractMatrix" });

// ---- The contract browser (services/contracts/browser*.ts): portal reads, tRPC only.

/** How many hours of traces count as "observed" (the telemetry service graph allows up to 7 days). */
const ObservedHours = z.number().int().min(1).max(168).default(24);
export const BrowserServicesInput = z.object({ hours: ObservedHours }).default({ hours: 24 });
export const BrowserServiceInput = z.object({ service: Name });
export const BrowserConsumersInput = z.object({ service: Name, hours: ObservedHours });
export const BrowserDiffInput = z.object({
  service: Name,
  kind: z.enum(["openapi", "event"]),
  /** The service's name for its OpenAPI document, the event type for an event schema. */
  subject: z.string().trim().min(1).max(200),
  /** Version ids as the browser lists them: `code`, `released:<version>`, `broker:<pacticipant version>`. */
  from: z.string().trim().min(1).max(250),
  to: z.string().trim().min(1).max(250),
  mode: z.enum(["BACKWARD", "FORWARD", "FULL", "NONE"]).default("BACKWARD"),
});
