/**
 * `switchyard contracts check` and `switchyard contracts release`: the committed contracts against
 * what the code generates, and against the released baseline under contracts/released/
 * (services/contracts/releases.ts). Exit 0 fine, 1 drift or a breaking change, 2 unreadable input.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { type CheckReport, checkContracts, ContractInputError, releaseContracts } from "../../services/contracts/releases";
import { EXIT, type TCommand, type TIo } from "./command";
import { toJson, toText } from "./format";
import { InputError } from "./load";

const COMMON = `options:
  --root DIR      the checkout whose contracts/ is read (default: the current directory)
  --skip-drift    do not compare contracts/ with what the code generates (checks a copy
                  of contracts/ on its own)
  --format text|json
  -h, --help      this help`;

const CHECK_USAGE = `usage: switchyard contracts check [options]

Fails when the committed contracts/ differ from what the code generates (npm run
contracts:generate), or when a current contract breaks the last released contract of the same
version number: the OpenAPI document's info.version major, an event's version (x-event-version).
A breaking change needs a new version number. Releases live in contracts/released/ (written by
'switchyard contracts release').

${COMMON}

exit status: 0 fine, 1 drift or a breaking change without a new version, 2 unreadable input.
`;

const RELEASE_USAGE = `usage: switchyard contracts release [options]

Records the current contracts as released: contracts/released/openapi/<service>/<info.version>.json
and contracts/released/events/<eventType>/v<N>.json. Runs 'contracts check' first and writes
nothing when it fails. Commit the files it writes.

${COMMON}

exit status: 0 released, 1 the check failed (nothing written), 2 unreadable input.
`;

type TOptions = { root: string; skipDrift: boolean; format: "text" | "json" };

function parseOptions(argv: string[], cwd: string): TOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: { root: { type: "string" }, "skip-drift": { type: "boolean" }, format: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new InputError((error as Error).message.split(". ")[0]!.replace(/'/g, ""));
  }
  const { values } = parsed;
  if (values.help) return "help";
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new InputError(`unknown format "${format}" (expected text, json)`);
  return { root: path.resolve(cwd, values.root ?? "."), skipDrift: values["skip-drift"] ?? false, format };
}

async function generated(options: TOptions): Promise<Record<string, string> | undefined> {
  if (options.skipDrift) return undefined;
  // Loaded only here: generating imports every service's router and event definitions.
  const { generatedContracts } = await import("../../services/contracts/generate");
  return generatedContracts();
}

function reportText(report: CheckReport): string {
  const out: string[] = [];
  if (report.drift.length) {
    out.push("contracts/ differs from what the code generates (run npm run contracts:generate and commit):");
    for (const d of report.drift) out.push(`  ${d.rel}: ${d.problem}`);
    out.push("");
  }
  const breaking = report.checks.filter((c) => !c.result.compatible);
  if (breaking.length) {
    out.push("breaking changes without a new version number:");
    for (const b of breaking) {
      const bump =
        b.contract.kind === "openapi"
          ? `raise info.version to ${b.contract.major + 1}.0.0 (a new major) for this change, or make it compatible`
          : `give the event a new version (defineEvent(..., version ${b.contract.version + 1})), or make the change compatible`;
      out.push("", toText(b.result, { new: `${b.contract.rel} (version ${b.contract.version})` }).trimEnd(), `  -> ${bump}`);
    }
    out.push("");
  }
  for (const u of report.unreleased) out.push(`${u.rel}: version ${u.version} not released yet (switchyard contracts release)`);
  const fine = report.checks.filter((c) => c.result.compatible).length;
  out.push(`${fine} of ${report.checks.length} released contracts compatible; ${report.drift.length} drifted; ${report.unreleased.length} unreleased versions.`);
  out.push(report.ok ? "contracts check: OK" : "contracts check: FAILED");
  return `${out.join("\n")}\n`;
}

function reportJson(report: CheckReport, extra: Record<string, unknown> = {}): string {
  const body = {
    ok: report.ok,
    drift: report.drift,
    checks: report.checks.map((c) => ({ contract: c.contract.rel, version: c.contract.version, against: c.against, ...JSON.parse(toJson(c.result, { new: c.contract.rel })) })),
    unreleased: report.unreleased.map((u) => ({ contract: u.rel, version: u.version })),
    ...extra,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function command(name: "check" | "release", usage: string): TCommand["run"] {
  return async (argv: string[], io: TIo) => {
    try {
      const options = parseOptions(argv, io.cwd);
      if (options === "help") {
        io.stdout(usage);
        return EXIT.ok;
      }
      const gen = await generated(options);
      if (name === "check") {
        const report = checkContracts(options.root, gen);
        io.stdout(options.format === "json" ? reportJson(report) : reportText(report));
        return report.ok ? EXIT.ok : EXIT.failed;
      }
      const { report, written, unchanged } = releaseContracts(options.root, gen);
      if (options.format === "json") io.stdout(reportJson(report, { written, unchanged }));
      else if (!report.ok) io.stdout(`${reportText(report)}nothing released.\n`);
      else io.stdout(`${written.map((w) => `released ${w}\n`).join("")}${written.length} written, ${unchanged.length} already released.\n`);
      return report.ok ? EXIT.ok : EXIT.failed;
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ContractInputError)) throw error;
      io.stderr(`error: ${error.message}\nRun 'switchyard contracts ${name} --help' for usage.\n`);
      return EXIT.usage;
    }
  };
}

export const contractsCheckCommand: TCommand = {
  name: "check",
  summary: "Fail when contracts/ drifted from the code or breaks its last release (exit 0/1/2).",
  usage: CHECK_USAGE,
  run: command("check", CHECK_USAGE),
};

export const contractsReleaseCommand: TCommand = {
  name: "release",
  summary: "Record the current contracts as released under contracts/released/.",
  usage: RELEASE_USAGE,
  run: command("release", RELEASE_USAGE),
};
