/**
 * CLI commands that talk to the contract broker (services/contracts, REST under /api/v1/contracts):
 *   switchyard contracts publish     pacts, event schemas and event reads of one service version
 *   switchyard can-i-deploy          yes / no / unknown, with the reasons (exit 0 / 1 / 2)
 *   switchyard record-deployment     a version now runs in an environment
 *   switchyard record-undeployment   a service no longer runs in an environment
 *   switchyard create-environment    an environment (and whether it is production)
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { BrokerError, brokerFrom, callBroker, query, type TBroker } from "./broker-client";
import { EXIT, type TCommand, type TIo } from "./command";
import { InputError } from "./load";

const BROKER_OPTIONS = `  --broker URL          the portal (default: $SWITCHYARD_URL), e.g. http://127.0.0.1:3000
  --token T             a token with the contracts:publish scope (default: $SWITCHYARD_TOKEN)`;

type TFlags = Record<string, { type: "string" | "boolean"; short?: string }>;
type TValues = Record<string, string | boolean | undefined>;

function parse(argv: string[], flags: TFlags, required: string[]): TValues | "help" {
  let values: TValues;
  try {
    const config: ParseArgsConfig = { args: argv, strict: true, options: { ...flags, broker: { type: "string" }, token: { type: "string" }, help: { type: "boolean", short: "h" } } };
    values = parseArgs(config).values as TValues;
  } catch (error) {
    throw new InputError((error as Error).message.split(". ")[0]!.replace(/'/g, ""));
  }
  if (values.help) return "help";
  const missing = required.filter((r) => typeof values[r] !== "string" || values[r] === "");
  if (missing.length) throw new InputError(`missing ${missing.map((m) => `--${m}`).join(", ")}`);
  return values;
}

const str = (values: TValues, key: string) => (typeof values[key] === "string" ? (values[key] as string) : undefined);

/** Runs a broker command: usage errors and an unreachable broker exit 2, a refusal 1 (or `refusedExit`). */
function brokerCommand(name: string, usage: string, body: (argv: string[], io: TIo) => Promise<number>, refusedExit: number = EXIT.failed): TCommand["run"] {
  return async (argv, io) => {
    if (argv.some((a) => a === "-h" || a === "--help")) {
      io.stdout(usage);
      return EXIT.ok;
    }
    try {
      return await body(argv, io);
    } catch (error) {
      if (error instanceof InputError) {
        io.stderr(`error: ${error.message}\nRun 'switchyard ${name} --help' for usage.\n`);
        return EXIT.usage;
      }
      if (error instanceof BrokerError) {
        io.stderr(`error: ${error.message}\n`);
        return refusedExit;
      }
      throw error;
    }
  };
}

// --- contracts publish ----------------------------------------------------------------------------

const PUBLISH_USAGE = `usage: switchyard contracts publish --service S --version V [options]

Publishes to the broker what version V of service S brings:
  - its pacts as a consumer: the pact files in the pacts directory whose consumer is S;
  - the event schemas it writes: contracts/events/<type>.json for S's event types;
  - the event types it reads, with its reader schemas: from its consumers (workers/consumers.ts)
    and its catalog entry's consumesApis (<producer>-events);
  - the OpenAPI document of its HTTP API: contracts/openapi/<service>.json, when there is one
    (the portal's contract browser shows and compares the versions).

options:
  --service S           the service (pacticipant) name
  --version V           its version (a git sha, a semver)
  --branch B            the branch it was built from
  --build-url URL       the CI build
  --pacts DIR           where the pact files are (default: contracts/pacts)
  --root DIR            the checkout (default: the current directory)
  --no-events           publish the pacts only (no event schemas, no OpenAPI document)
${BROKER_OPTIONS}
  -h, --help            this help

exit status: 0 published, 1 the broker refused, 2 bad input or the broker unreachable.
`;

type TPublishResult = { pacticipant: string; version: string; pacts: { provider: string; sha: string; kind: string; interactions: number; verifiedBy: { providerVersion: string; success: boolean }[] }[]; eventSchemas: number; eventReads: number };

async function publish(argv: string[], io: TIo): Promise<number> {
  const values = parse(
    argv,
    { service: { type: "string" }, version: { type: "string" }, branch: { type: "string" }, "build-url": { type: "string" }, pacts: { type: "string" }, root: { type: "string" }, "no-events": { type: "boolean" } },
    ["service", "version"],
  );
  if (values === "help") return (io.stdout(PUBLISH_USAGE), EXIT.ok);
  const broker = brokerFrom({ broker: str(values, "broker"), token: str(values, "token") }, io);
  const service = str(values, "service")!;
  const root = path.resolve(io.cwd, str(values, "root") ?? ".");
  const pactsDir = path.resolve(io.cwd, str(values, "pacts") ?? path.join(root, "contracts", "pacts"));
  // Loaded here only: it imports the consumer registry (every consumer's service code).
  const { eventReadsOf, eventWritesOf, pactsOf } = await import("../../services/contracts/participation");
  let pacts, writes, reads, openapi: unknown;
  try {
    pacts = pactsOf(service, pactsDir);
    writes = values["no-events"] ? undefined : eventWritesOf(service, root);
    reads = values["no-events"] ? undefined : eventReadsOf(service, root);
    const openapiFile = path.join(root, "contracts", "openapi", `${service}.json`);
    if (!values["no-events"] && existsSync(openapiFile)) {
      try {
        openapi = JSON.parse(readFileSync(openapiFile, "utf8"));
      } catch (error) {
        throw new Error(`${path.relative(io.cwd, openapiFile)} is not valid JSON: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  const body = {
    pacticipant: service,
    version: str(values, "version"),
    branch: str(values, "branch"),
    buildUrl: str(values, "build-url"),
    pacts: pacts.map((p) => ({ provider: p.provider, content: p.content })),
    ...(writes ? { eventSchemas: writes } : {}),
    ...(reads ? { eventReads: reads.map((r) => ({ eventType: r.eventType, readerSchema: r.readerSchema })) } : {}),
    ...(openapi ? { openapi } : {}),
  };
  const res = await callBroker<TPublishResult>(broker, "POST", "/contracts/publish", body);
  const lines = [`published ${res.pacticipant} ${res.version} to ${broker.url}`];
  for (const p of res.pacts) {
    const verified = p.verifiedBy.length ? `; already verified by ${p.verifiedBy.map((v) => `${v.providerVersion} (${v.success ? "success" : "failed"})`).join(", ")}` : "";
    lines.push(`  pact with ${p.provider}: ${p.kind}, ${p.interactions} interaction(s), sha ${p.sha.slice(0, 12)}${verified}`);
  }
  if (res.pacts.length === 0) lines.push(`  no pacts with consumer ${service} in ${path.relative(io.cwd, pactsDir) || "."}`);
  lines.push(`  ${res.eventSchemas} event schema(s) written, ${res.eventReads} event type(s) read${openapi ? ", OpenAPI document" : ""}`);
  for (const r of reads ?? []) lines.push(`    reads ${r.eventType} (${r.source})`);
  io.stdout(`${lines.join("\n")}\n`);
  return EXIT.ok;
}

// --- can-i-deploy ---------------------------------------------------------------------------------

const CAN_I_DEPLOY_USAGE = `usage: switchyard can-i-deploy --service S --version V --to-environment E [options]

Asks the broker whether version V of service S can be deployed to environment E, given what
runs there: its pacts verified by the deployed providers, the deployed consumers' pacts verified
by V, and event schemas readable both ways. Prints yes, no or unknown with the reasons.

options:
  --service S             the service (pacticipant) name
  --version V             the version to deploy
  --to-environment E      the environment
  --format text|json      output (default text)
${BROKER_OPTIONS}
  -h, --help              this help

exit status: 0 yes, 1 no, 2 unknown (something not verified or not published) or bad input.
`;

type TCanIDeploy = {
  pacticipant: string;
  version: string;
  environment: string;
  result: "yes" | "no" | "unknown";
  reasons: { check: string; outcome: string; message: string; changes?: { id: string; path: string; message: string; explanation?: string; fix?: string }[] }[];
};

async function canIDeploy(argv: string[], io: TIo): Promise<number> {
  const values = parse(argv, { service: { type: "string" }, version: { type: "string" }, "to-environment": { type: "string" }, format: { type: "string" } }, ["service", "version", "to-environment"]);
  if (values === "help") return (io.stdout(CAN_I_DEPLOY_USAGE), EXIT.ok);
  const format = str(values, "format") ?? "text";
  if (format !== "text" && format !== "json") throw new InputError(`unknown format "${format}" (expected text, json)`);
  const broker = brokerFrom({ broker: str(values, "broker"), token: str(values, "token") }, io);
  const q = query({ pacticipant: str(values, "service"), version: str(values, "version"), environment: str(values, "to-environment") });
  const res = await callBroker<TCanIDeploy>(broker, "GET", `/contracts/can-i-deploy?${q}`);
  if (format === "json") io.stdout(`${JSON.stringify(res, null, 2)}\n`);
  else {
    const lines = [`${res.result}: ${res.pacticipant} ${res.version} ${res.result === "yes" ? "can" : res.result === "no" ? "cannot" : "may not (unknown)"} be deployed to ${res.environment}`];
    for (const r of res.reasons) {
      lines.push(`  ${r.outcome.padEnd(7)} ${r.check}: ${r.message}`);
      for (const c of r.changes ?? []) {
        lines.push(`            ${c.id} at ${c.path}: ${c.message}`);
        if (c.explanation) lines.push(`              why: ${c.explanation}`);
        if (c.fix) lines.push(`              fix: ${c.fix}`);
      }
    }
    io.stdout(`${lines.join("\n")}\n`);
  }
  return res.result === "yes" ? EXIT.ok : res.result === "no" ? EXIT.failed : EXIT.usage;
}

// --- deployments and environments ------------------------------------------------------------------

const RECORD_DEPLOYMENT_USAGE = `usage: switchyard record-deployment --service S --version V --environment E [options]

Records that version V of service S now runs in environment E; it replaces the version of S that
ran there before.

options:
  --service S             the service (pacticipant) name
  --version V             the version deployed
  --environment E         the environment (create it first: switchyard create-environment)
${BROKER_OPTIONS}
  -h, --help              this help

exit status: 0 recorded, 1 the broker refused (e.g. an unknown environment), 2 bad input or the
broker unreachable.
`;

async function recordDeployment(argv: string[], io: TIo): Promise<number> {
  const values = parse(argv, { service: { type: "string" }, version: { type: "string" }, environment: { type: "string" } }, ["service", "version", "environment"]);
  if (values === "help") return (io.stdout(RECORD_DEPLOYMENT_USAGE), EXIT.ok);
  const broker: TBroker = brokerFrom({ broker: str(values, "broker"), token: str(values, "token") }, io);
  const res = await callBroker<{ pacticipant: string; version: string; environment: string; replaced: string | null }>(broker, "POST", "/contracts/deployments", {
    pacticipant: str(values, "service"),
    version: str(values, "version"),
    environment: str(values, "environment"),
  });
  io.stdout(`recorded: ${res.pacticipant} ${res.version} runs in ${res.environment}${res.replaced ? ` (replacing ${res.replaced})` : ""}\n`);
  return EXIT.ok;
}

const RECORD_UNDEPLOYMENT_USAGE = `usage: switchyard record-undeployment --service S --environment E [--version V] [options]

Records that service S no longer runs in environment E (only if V is the deployed version, when given).

options:
  --service S             the service (pacticipant) name
  --environment E         the environment
  --version V             only if this version is the one deployed
${BROKER_OPTIONS}
  -h, --help              this help

exit status: 0 recorded (or nothing was deployed), 1 the broker refused, 2 bad input or the broker unreachable.
`;

async function recordUndeployment(argv: string[], io: TIo): Promise<number> {
  const values = parse(argv, { service: { type: "string" }, version: { type: "string" }, environment: { type: "string" } }, ["service", "environment"]);
  if (values === "help") return (io.stdout(RECORD_UNDEPLOYMENT_USAGE), EXIT.ok);
  const broker = brokerFrom({ broker: str(values, "broker"), token: str(values, "token") }, io);
  const res = await callBroker<{ undeployed: string | null }>(broker, "POST", "/contracts/undeployments", {
    pacticipant: str(values, "service"),
    environment: str(values, "environment"),
    version: str(values, "version"),
  });
  io.stdout(res.undeployed ? `recorded: ${str(values, "service")} ${res.undeployed} no longer runs in ${str(values, "environment")}\n` : `nothing to record: ${str(values, "service")} was not deployed there\n`);
  return EXIT.ok;
}

const CREATE_ENVIRONMENT_USAGE = `usage: switchyard create-environment --name E [--production] [options]

Creates an environment in the broker (or changes its production flag).

options:
  --name E                the environment's name (test, staging, production, ...)
  --production            it is a production environment
${BROKER_OPTIONS}
  -h, --help              this help

exit status: 0 saved, 1 the broker refused, 2 bad input or the broker unreachable.
`;

async function createEnvironment(argv: string[], io: TIo): Promise<number> {
  const values = parse(argv, { name: { type: "string" }, production: { type: "boolean" } }, ["name"]);
  if (values === "help") return (io.stdout(CREATE_ENVIRONMENT_USAGE), EXIT.ok);
  const broker = brokerFrom({ broker: str(values, "broker"), token: str(values, "token") }, io);
  const res = await callBroker<{ name: string; production: boolean }>(broker, "POST", "/contracts/environments", { name: str(values, "name"), production: values.production === true });
  io.stdout(`environment ${res.name}${res.production ? " (production)" : ""} saved\n`);
  return EXIT.ok;
}

export const contractsPublishCommand: TCommand = {
  name: "publish",
  summary: "Publish a service version's pacts, event schemas and event reads to the broker.",
  usage: PUBLISH_USAGE,
  run: brokerCommand("contracts publish", PUBLISH_USAGE, publish),
};

export const canIDeployCommand: TCommand = {
  name: "can-i-deploy",
  summary: "Can this version be deployed to that environment? yes/no/unknown (exit 0/1/2).",
  usage: CAN_I_DEPLOY_USAGE,
  // A refusal (unknown environment, 401/403) is not a "no": the answer is unknown.
  run: brokerCommand("can-i-deploy", CAN_I_DEPLOY_USAGE, canIDeploy, EXIT.usage),
};

export const recordDeploymentCommand: TCommand = {
  name: "record-deployment",
  summary: "Record that a service version now runs in an environment.",
  usage: RECORD_DEPLOYMENT_USAGE,
  run: brokerCommand("record-deployment", RECORD_DEPLOYMENT_USAGE, recordDeployment),
};

export const recordUndeploymentCommand: TCommand = {
  name: "record-undeployment",
  summary: "Record that a service no longer runs in an environment.",
  usage: RECORD_UNDEPLOYMENT_USAGE,
  run: brokerCommand("record-undeployment", RECORD_UNDEPLOYMENT_USAGE, recordUndeployment),
};

export const createEnvironmentCommand: TCommand = {
  name: "create-environment",
  summary: "Create a broker environment (or change its production flag).",
  usage: CREATE_ENVIRONMENT_USAGE,
  run: brokerCommand("create-environment", CREATE_ENVIRONMENT_USAGE, createEnvironment),
};
