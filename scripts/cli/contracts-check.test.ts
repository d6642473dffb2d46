import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedContracts } from "../../services/contracts/generate";

const bin = path.resolve(import.meta.dirname, "bin.mjs");
const UPDATED = "contracts/events/templator.events.v1.templates.TemplateUpdated.json";
const TEMPLATES_API = "contracts/openapi/templates.json";
let base: string;

/** Runs the real executable in `cwd`, as CI would. */
function switchyard(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A temporary checkout holding exactly the generated contracts and their release. */
function copy(): string {
  const dir = mkdtempSync(path.join(base, "checkout-"));
  for (const [rel, content] of Object.entries(generatedContracts())) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

function edit(dir: string, rel: string, change: (doc: Record<string, unknown>) => void): void {
  const file = path.join(dir, rel);
  const doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  change(doc);
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}

/** TemplateUpdated without its `title`: old events carry a title the new closed schema refuses. */
function dropTitle(doc: Record<string, unknown>): void {
  delete (doc.properties as Record<string, unknown>).title;
  doc.required = (doc.required as string[]).filter((r) => r !== "title");
}

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), "switchyard-check-"));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

// Each run starts Node and tsx, and (without --skip-drift) generates the contracts: seconds each.
describe("switchyard contracts check / release", { timeout: 120_000 }, () => {
  let released: string;

  beforeAll(() => {
    released = copy();
    const res = switchyard(released, "contracts", "release");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/released contracts\/released\/events\/templator\.events\.v1\.templates\.TemplateUpdated\/v1\.json/);
    expect(res.stdout).toMatch(/released contracts\/released\/openapi\/templates\/1\.0\.0\.json/);
  });

  it("passes on contracts that match the code and their release, and a second release writes nothing", () => {
    const res = switchyard(released, "contracts", "check");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/contracts check: OK/);
    const again = switchyard(released, "contracts", "release", "--format", "json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, written: [] });
  });

  it("fails (exit 1) on a breaking event change without a new version, explaining it", () => {
    const dir = copy();
    switchyard(dir, "contracts", "release", "--skip-drift");
    edit(dir, UPDATED, dropTitle);
    const res = switchyard(dir, "contracts", "check", "--skip-drift");
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/breaking changes without a new version number/);
    expect(res.stdout).toMatch(/ERR {2}PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL {2}#\/properties\/title/);
    expect(res.stdout).toMatch(/why: /);
    expect(res.stdout).toMatch(/give the event a new version \(defineEvent\(\.\.\., version 2\)\)/);
    expect(res.stdout).toMatch(/contracts check: FAILED/);
    // release refuses too, and writes nothing
    const release = switchyard(dir, "contracts", "release", "--skip-drift");
    expect(release.code).toBe(1);
    expect(release.stdout).toMatch(/nothing released/);
  });

  it("passes (exit 0) with the same change under a new event version, which is then not released yet", () => {
    const dir = copy();
    switchyard(dir, "contracts", "release", "--skip-drift");
    edit(dir, UPDATED, (doc) => {
      dropTitle(doc);
      doc["x-event-version"] = 2;
    });
    const res = switchyard(dir, "contracts", "check", "--skip-drift", "--format", "json");
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).unreleased).toContainEqual({ contract: UPDATED, version: 2 });
    const release = switchyard(dir, "contracts", "release", "--skip-drift");
    expect(release.code).toBe(0);
    expect(existsSync(path.join(dir, "contracts/released/events/templator.events.v1.templates.TemplateUpdated/v2.json"))).toBe(true);
  });

  it("an optional field added under the same event version is compatible both ways", () => {
    const dir = copy();
    switchyard(dir, "contracts", "release", "--skip-drift");
    edit(dir, UPDATED, (doc) => {
      (doc.properties as Record<string, unknown>).editor = { type: "string" };
    });
    expect(switchyard(dir, "contracts", "check", "--skip-drift").code).toBe(0);
  });

  it("an OpenAPI operation removed needs a new major version", () => {
    const dir = copy();
    switchyard(dir, "contracts", "release", "--skip-drift");
    edit(dir, TEMPLATES_API, (doc) => {
      delete (doc.paths as Record<string, unknown>)["/modules/{id}"];
    });
    const breaking = switchyard(dir, "contracts", "check", "--skip-drift");
    expect(breaking.code).toBe(1);
    expect(breaking.stdout).toMatch(/api-path-removed-without-deprecation/);
    expect(breaking.stdout).toMatch(/raise info\.version to 2\.0\.0/);
    edit(dir, TEMPLATES_API, (doc) => {
      (doc.info as Record<string, unknown>).version = "2.0.0";
    });
    expect(switchyard(dir, "contracts", "check", "--skip-drift").code).toBe(0);
  });

  it("fails (exit 1) when a committed contract differs from what the code generates", () => {
    const dir = copy();
    switchyard(dir, "contracts", "release", "--skip-drift");
    edit(dir, UPDATED, (doc) => {
      doc.description = "edited by hand";
    });
    writeFileSync(path.join(dir, "contracts/events/templator.events.v1.templates.TemplateVanished.json"), readFileSync(path.join(dir, UPDATED)));
    const res = switchyard(dir, "contracts", "check");
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/contracts\/events\/templator\.events\.v1\.templates\.TemplateUpdated\.json: differs from the generated file/);
    expect(res.stdout).toMatch(/TemplateVanished\.json: no longer generated/);
  });

  it("exits 2 on unreadable input", () => {
    const dir = copy();
    switchyard(dir, "contracts", "release", "--skip-drift");
    writeFileSync(path.join(dir, "contracts/released/events/templator.events.v1.templates.TemplateUpdated/v1.json"), "{ not json");
    const broken = switchyard(dir, "contracts", "check", "--skip-drift");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/error: contracts\/released\/events\/templator\.events\.v1\.templates\.TemplateUpdated\/v1\.json: invalid JSON/);
    const nowhere = switchyard(base, "contracts", "check", "--skip-drift", "--root", "missing");
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/no such directory/);
    expect(switchyard(base, "contracts", "check", "--bogus").code).toBe(2);
  });
});
