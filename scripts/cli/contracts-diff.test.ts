import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = path.resolve(import.meta.dirname, "bin.mjs");
const fixture = path.resolve(import.meta.dirname, "../../services/contracts/compat/fixtures/users-api.v1.yaml");
let dir: string;

/** Runs the real executable, as `npx switchyard` would. */
function switchyard(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", timeout: 30_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return name;
}

const user = (properties: Record<string, unknown>, required: string[]) => ({ type: "object", properties, required, additionalProperties: false });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-cli-"));
  write("v1.json", user({ id: { type: "string" } }, ["id"]));
  write("v2.json", user({ id: { type: "string" }, nick: { type: "string" } }, ["id"]));
  write("v2-breaking.json", user({ id: { type: "string" }, email: { type: "string" } }, ["id", "email"]));
  write("api.v1.yaml", readFileSync(fixture, "utf8"));
  write("broken.json", '{"type": "object",');
  write("broken.yaml", "type: [object\n");
  write("list.json", "[1, 2]");
  write("typo.json", { type: "strin" });
  write("cycle.yaml", "a: &x\n  b: *x\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each case starts Node and tsx (about a third of a second); leave room on a busy machine.
describe("switchyard --help", { timeout: 30_000 }, () => {
  it("prints the commands, the contracts group and the diff options, exit 0", () => {
    const top = switchyard("--help");
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/usage: switchyard <command>/);
    expect(top.stdout).toMatch(/contracts/);
    const group = switchyard("contracts", "--help");
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/diff\s+Check whether/);
    const diff = switchyard("contracts", "diff", "--help");
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/--mode MODE/);
    expect(diff.stdout).toMatch(/exit status: 0 compatible, 1 breaking changes found, 2 unreadable or invalid input/);
  });

  it("without a command, or with an unknown one, prints usage on stderr and exits 2", () => {
    const none = switchyard();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: switchyard/);
    const unknown = switchyard("contracts", "frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
});

describe("switchyard contracts diff", { timeout: 30_000 }, () => {
  it("exits 0 on a compatible JSON Schema change and says so in text", () => {
    const res = switchyard("contracts", "diff", "v1.json", "v2.json");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^v2\.json \(jsonschema, mode BACKWARD\) against v1\.json: COMPATIBLE/);
    expect(res.stdout).toMatch(/INFO OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL {2}#\/properties\/nick/);
  });

  it("exits 1 on a breaking change, explaining it with a fix", () => {
    const res = switchyard("contracts", "diff", "v1.json", "v2-breaking.json");
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/NOT COMPATIBLE/);
    expect(res.stdout).toMatch(/ERR {2}REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL {2}#\/properties\/email/);
    expect(res.stdout).toMatch(/why: Records written before the property existed/);
    expect(res.stdout).toMatch(/fix: Make the new property optional, or give it a `default`/);
  });

  it("prints JSON with the verdict and the changes", () => {
    const res = switchyard("contracts", "diff", "--format", "json", "v1.json", "v2-breaking.json");
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ compatible: false, kind: "jsonschema", mode: "BACKWARD", checkedAgainst: ["v1.json"] });
    expect(out.changes).toEqual([
      expect.objectContaining({
        id: "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        level: "ERR",
        path: "#/properties/email",
        message: expect.stringContaining("email"),
        fix: expect.any(String),
      }),
    ]);
  });

  it("detects an OpenAPI document (YAML) and reports oasdiff-style check ids with the operation", () => {
    const yaml = readFileSync(fixture, "utf8");
    write("api.v2.yaml", yaml.replace("required: [name, email]", "required: [name, email, role]"));
    const res = switchyard("contracts", "diff", "--format", "json", "api.v1.yaml", "api.v2.yaml");
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.kind).toBe("openapi");
    expect(out.changes).toContainEqual(
      expect.objectContaining({ id: "request-property-became-required", level: "ERR", operation: "POST /users", explanation: expect.any(String), fix: expect.any(String) }),
    );
    const text = switchyard("contracts", "diff", "api.v1.yaml", "api.v2.yaml");
    expect(text.stdout).toMatch(/ERR {2}request-property-became-required {2}POST \/users/);
  });

  it("checks a directory of versions in natural order under a transitive mode", () => {
    write("versions/v1.json", { type: "object", properties: { n: { type: "integer" } } });
    write("versions/v2.json", { type: "object", properties: { n: { type: "number" } } });
    write("versions/v10.json", { type: "object", properties: { n: { type: "string" } } });
    write("versions/v3.json", { type: "object", properties: { n: { type: "number" } } });
    // v3 lies in the directory: only v1 and v2 come before it (v10 sorts after).
    const res = switchyard("contracts", "diff", "--mode", "FULL_TRANSITIVE", "--format", "json", "versions", "versions/v3.json");
    const out = JSON.parse(res.stdout);
    expect(out.checkedAgainst).toEqual([path.join("versions", "v1.json"), path.join("versions", "v2.json")]);
    expect(res.code).toBe(1); // v1 readers (integer) cannot read v3's numbers: FORWARD fails
    const backward = switchyard("contracts", "diff", "--mode", "backward_transitive", "versions/v1.json", "versions/v2.json", "versions/v3.json");
    expect(backward.code).toBe(0);
    expect(backward.stdout).toMatch(/against versions\/v1\.json, versions\/v2\.json: COMPATIBLE/);
  });

  it("NONE reports changes but never fails", () => {
    const res = switchyard("contracts", "diff", "--mode", "NONE", "v1.json", "v2-breaking.json");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/INFO REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL/);
  });

  describe("bad input exits 2 with a clear message on stderr", () => {
    it.each([
      ["a missing file", ["missing.json", "v2.json"], /error: missing\.json: no such file/],
      ["invalid JSON", ["v1.json", "broken.json"], /error: broken\.json: invalid JSON/],
      ["invalid YAML", ["v1.json", "broken.yaml"], /error: broken\.yaml: invalid YAML/],
      ["a document that is not a schema", ["v1.json", "list.json"], /error: list\.json: not a valid JSON Schema:\n {2}#\/: not a JSON Schema \(expected an object or a boolean\)/],
      ["an unknown type", ["v1.json", "typo.json"], /typo\.json: not a valid JSON Schema:\n {2}#\/type: unknown type "strin"/],
      ["an unknown flag", ["--colour", "v1.json", "v2.json"], /error: Unknown option --colour/],
      ["an unknown mode", ["--mode", "SIDEWAYS", "v1.json", "v2.json"], /error: unknown mode "SIDEWAYS" \(expected BACKWARD, BACKWARD_TRANSITIVE/],
      ["an unknown kind", ["--kind", "avro", "v1.json", "v2.json"], /error: unknown kind "avro" \(expected openapi, jsonschema\)/],
      ["one file only", ["v1.json"], /error: expected OLD and NEW, got one file/],
      ["a YAML alias inside itself", ["v1.json", "cycle.yaml"], /error: cycle\.yaml: invalid YAML: an alias refers to a node that contains it/],
      ["mixed kinds", ["api.v1.yaml", "v1.json"], /api\.v1\.yaml is openapi but v1\.json is jsonschema/],
    ])("%s", (_name, args, message) => {
      const res = switchyard("contracts", "diff", ...(args as string[]));
      expect(res.code).toBe(2);
      expect(res.stdout).toBe("");
      expect(res.stderr).toMatch(message as RegExp);
      expect(res.stderr).toMatch(/Run 'switchyard contracts diff --help' for usage/);
    });
  });
});
