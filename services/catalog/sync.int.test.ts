import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, ROOT, type TestApp } from "@/tests/helpers/test-app";
import { getService, listServices, listSyncRuns } from "./queries";
import { syncCatalog } from "./sync";

let app: TestApp;
let root: string;

// A copy of the repository's descriptor files that each test may edit.
async function copyDescriptors(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "sy-catalog-"));
  await cp(path.join(ROOT, "catalog-info.yaml"), path.join(dir, "catalog-info.yaml"));
  for (const s of ["auth", "templates", "ai", "projects", "assets", "analytics"]) {
    await cp(path.join(ROOT, "services", s, "catalog-info.yaml"), path.join(dir, "services", s, "catalog-info.yaml"), { recursive: true });
  }
  return dir;
}

beforeAll(async () => {
  app = await createTestApp();
  root = await copyDescriptors();
});

afterAll(async () => {
  await app.cleanup();
  await rm(root, { recursive: true, force: true });
});

describe("catalog sync", () => {
  it("loads the six Templator services with owner, lifecycle and declared relations", async () => {
    const summary = await syncCatalog(app.db.catalog, { rootDir: root, trigger: "manual" });
    expect(summary.status).toBe("succeeded");
    expect(summary.errors).toEqual([]);
    const services = await listServices(app.db.catalog);
    expect(services.map((s) => [s.name, s.ownerName, s.lifecycle])).toEqual([
      ["ai", "team-ai", "production"],
      ["analytics", "team-insights", "beta"],
      ["assets", "team-platform", "production"],
      ["auth", "team-identity", "production"],
      ["projects", "team-workspace", "production"],
      ["templates", "team-templates", "production"],
    ]);
    const templates = await getService(app.db.catalog, "templates");
    expect(templates?.apis.provided.map((a) => [a.name, a.consumers.map((c) => c.name).sort()])).toEqual([
      ["templates-api", ["projects"]],
      ["templates-events", ["ai", "analytics"]],
    ]);
    expect(templates?.dependents.map((d) => d.name)).toEqual(["projects"]);
    expect(templates?.dependencies.map((d) => [d.name, d.exists])).toContainEqual(["templator-postgres", true]);
  });

  it("writes nothing on a second run when no file changed", async () => {
    const summary = await syncCatalog(app.db.catalog, { rootDir: root, trigger: "schedule" });
    expect(summary).toMatchObject({ status: "succeeded", upserted: 0, removed: 0 });
    expect(summary.unchanged).toBeGreaterThanOrEqual(18);
  });

  it("picks up an edited owner and lifecycle", async () => {
    const file = path.join(root, "services/ai/catalog-info.yaml");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("owner: team-ai\n  system: templator\n  providesApis", "owner: team-platform\n  system: templator\n  providesApis").replace("lifecycle: production", "lifecycle: deprecated"));
    const summary = await syncCatalog(app.db.catalog, { rootDir: root, trigger: "manual" });
    expect(summary.upserted).toBe(1);
    const ai = await getService(app.db.catalog, "ai");
    expect([ai?.ownerName, ai?.lifecycle]).toEqual(["team-platform", "deprecated"]);
    await writeFile(file, text);
    await syncCatalog(app.db.catalog, { rootDir: root, trigger: "manual" });
  });

  it("keeps a service whose file has broken YAML, and says which line", async () => {
    const file = path.join(root, "services/assets/catalog-info.yaml");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("kind: Component", "kind: [Component"));
    const summary = await syncCatalog(app.db.catalog, { rootDir: root, trigger: "manual" });
    expect(summary.status).toBe("partial");
    expect(summary.errors[0]).toMatchObject({ file: "services/assets/catalog-info.yaml" });
    expect(summary.errors[0]!.message).toMatch(/invalid YAML \(line \d+/);
    expect(await getService(app.db.catalog, "assets")).toBeDefined();
    const [run] = await listSyncRuns(app.db.catalog, 1);
    expect(run?.status).toBe("partial");
    await writeFile(file, text);
  });

  it("removes a service whose descriptor no longer declares it, with its relations", async () => {
    const file = path.join(root, "services/projects/catalog-info.yaml");
    await rm(file);
    const summary = await syncCatalog(app.db.catalog, { rootDir: root, trigger: "manual" });
    expect(summary.removed).toBe(3); // the component and its two APIs
    expect(await getService(app.db.catalog, "projects")).toBeUndefined();
    const templates = await getService(app.db.catalog, "templates");
    expect(templates?.dependents).toEqual([]);
    expect(templates?.apis.provided[0]?.consumers).toEqual([]);
  });

  it("rejects a second definition of the same entity and keeps the first", async () => {
    const copy = path.join(root, "services/zzz-copy/catalog-info.yaml");
    await cp(path.join(root, "services/auth/catalog-info.yaml"), copy, { recursive: true });
    const summary = await syncCatalog(app.db.catalog, { rootDir: root, trigger: "manual" });
    expect(summary.errors.map((e) => e.message)).toContain("component:default/auth is already defined in services/auth/catalog-info.yaml");
    expect((await getService(app.db.catalog, "auth"))?.sourcePath).toBe("services/auth/catalog-info.yaml");
  });
});
