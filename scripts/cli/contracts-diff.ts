/**
 * `switchyard contracts diff`: is NEW a compatible successor of OLD? Exit 0 compatible, 1 breaking,
 * 2 unreadable or invalid input.
 */
import { parseArgs } from "node:util";
import {
  checkJsonSchemaCompatibility,
  checkOpenApiCompatibility,
  COMPATIBILITY_MODES,
  CONTRACT_KINDS,
  detectKind,
  parseMode,
  validateContract,
  type TCompatibilityResult,
  type TContractKind,
  type TContractVersion,
} from "../../services/contracts/compat";
import { EXIT, type TCommand, type TIo } from "./command";
import { toJson, toText } from "./format";
import { assertFile, expandPrevious, InputError, readContract } from "./load";

const USAGE = `usage: switchyard contracts diff [options] OLD... NEW

Checks whether NEW can replace OLD: an OpenAPI document (breaking changes for existing clients,
in the manner of oasdiff) or a JSON Schema (Confluent Schema Registry compatibility).

OLD is one file, several files (oldest first) or a directory of versions (its .json/.yaml/.yml
files in natural order: v1, v2, v10; when NEW is in that directory, only the files before it).
Non-transitive modes compare NEW with the last OLD only; *_TRANSITIVE modes with every OLD.

options:
  --kind openapi|jsonschema   contract kind (default: openapi when the document has an
                              "openapi" key, else jsonschema)
  --mode MODE                 ${COMPATIBILITY_MODES.join(", ")}
                              (default BACKWARD). BACKWARD: readers/clients on NEW handle what
                              OLD produced; FORWARD: the reverse; FULL: both; NONE: report only.
  --format text|json          output (default text)
  --fail-on ERR|WARN          levels that make the result breaking (default ERR)
  --rules strict|lenient      JSON Schema rule set (default strict, as Confluent)
  -h, --help                  this help

exit status: 0 compatible, 1 breaking changes found, 2 unreadable or invalid input.
`;

type TOptions = {
  kind?: TContractKind;
  mode: (typeof COMPATIBILITY_MODES)[number];
  format: "text" | "json";
  failOn: "ERR" | "WARN";
  rules: "strict" | "lenient";
  previous: string[];
  next: string;
};

function choose<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!match) throw new InputError(`unknown ${flag} "${value}" (expected ${allowed.join(", ")})`);
  return match;
}

function parseOptions(argv: string[]): TOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        kind: { type: "string" },
        mode: { type: "string" },
        format: { type: "string" },
        "fail-on": { type: "string" },
        rules: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // Node's messages ("Unknown option '--x'. To specify a positional argument ...") are long; keep the first sentence.
    throw new InputError((error as Error).message.split(". ")[0]!.replace(/'/g, ""));
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  let mode: TOptions["mode"] = "BACKWARD";
  if (values.mode !== undefined) {
    const found = parseMode(values.mode);
    if (!found) throw new InputError(`unknown mode "${values.mode}" (expected ${COMPATIBILITY_MODES.join(", ")})`);
    mode = found;
  }
  const kind = values.kind === undefined ? undefined : choose("kind", values.kind, CONTRACT_KINDS, "jsonschema");
  if (positionals.length < 2) throw new InputError(positionals.length ? "expected OLD and NEW, got one file" : "expected OLD and NEW");
  return {
    kind,
    mode,
    format: choose("format", values.format, ["text", "json"] as const, "text"),
    failOn: choose("fail-on", values["fail-on"], ["ERR", "WARN"] as const, "ERR"),
    rules: choose("rules", values.rules, ["strict", "lenient"] as const, "strict"),
    previous: positionals.slice(0, -1),
    next: positionals.at(-1)!,
  };
}

function checkedDocument(version: TContractVersion, kind: TContractKind | undefined): TContractKind {
  const effective = kind ?? detectKind(version.document);
  const problems = validateContract(effective, version.document);
  if (problems.length) {
    const what = effective === "openapi" ? "OpenAPI 3 document" : "JSON Schema";
    throw new InputError(`${version.label}: not a valid ${what}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
  return effective;
}

function compare(options: TOptions, io: TIo): { result: TCompatibilityResult; next: TContractVersion } {
  const nextFile = assertFile(options.next, options.next, io.cwd);
  const previousFiles = expandPrevious(options.previous, options.next, io.cwd);
  const next = readContract(nextFile, options.next);
  const previous = previousFiles.map((f) => readContract(f.file, f.label));
  const kind = checkedDocument(next, options.kind);
  for (const version of previous) {
    const other = checkedDocument(version, options.kind);
    if (other !== kind) throw new InputError(`${version.label} is ${other} but ${next.label} is ${kind}; use --kind to force one`);
  }
  const result =
    kind === "openapi"
      ? checkOpenApiCompatibility(previous, next, { mode: options.mode, failOn: options.failOn })
      : checkJsonSchemaCompatibility(previous, next, { mode: options.mode, rules: options.rules });
  return { result, next };
}

async function run(argv: string[], io: TIo): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (options === "help") {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    const { result, next } = compare(options, io);
    io.stdout(options.format === "json" ? toJson(result, { new: next.label }) : toText(result, { new: next.label }));
    return result.compatible ? EXIT.ok : EXIT.failed;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(`error: ${error.message}\nRun 'switchyard contracts diff --help' for usage.\n`);
    return EXIT.usage;
  }
}

export const contractsDiffCommand: TCommand = {
  name: "diff",
  summary: "Check whether a new contract version is compatible with earlier ones (exit 0/1/2).",
  usage: USAGE,
  run,
};
