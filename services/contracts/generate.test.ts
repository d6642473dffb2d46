import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedContracts } from "./generate";

const root = path.resolve(import.meta.dirname, "../..");

describe("contracts stored with the code", () => {
  const files = generatedContracts();

  it("the committed contracts are exactly what the code generates (run npm run contracts:generate)", async () => {
    for (const [rel, content] of Object.entries(files)) {
      const committed = await readFile(path.join(root, rel), "utf8").catch(() => "(missing)");
      expect(committed, rel).toBe(content);
    }
  });

  it("the templates API documents each operation with its parameters, body, responses and examples", () => {
    const doc = JSON.parse(files["contracts/openapi/templates.json"]!) as {
      paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string; required: boolean }[]; requestBody?: { required: boolean; content: Record<string, { example?: unknown }> }; responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(["/modules", "/modules/{id}", "/templates", "/templates/{id}", "/templates/{id}/deprecate", "/templates/{id}/publish"]);
    const patch = doc.paths["/templates/{id}"]!.patch!;
    expect(patch.operationId).toBe("templates.update");
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path", required: true }));
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header" }));
    expect(patch.requestBody!.required).toBe(false);
    const create = doc.paths["/templates"]!.post!;
    expect(Object.keys(create.responses)).toEqual(["201", "400", "401", "403", "404", "409", "422"]);
    expect(create.requestBody!.content["application/json"]!.example).toMatchObject({ slug: "incident-postmortem" });
    const list = doc.paths["/templates"]!.get!;
    expect(list.parameters!.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(["query:status:false", "query:q:false", "query:limit:false", "query:cursor:false"]);
  });

  it("every event type has a JSON Schema with its version", () => {
    const schema = JSON.parse(files["contracts/events/templator.events.v1.templates.TemplateDeprecated.json"]!) as Record<string, unknown>;
    expect(schema).toMatchObject({ title: "templator.events.v1.templates.TemplateDeprecated", "x-event-version": 1, type: "object", required: ["templateId", "version", "title"] });
  });
});
