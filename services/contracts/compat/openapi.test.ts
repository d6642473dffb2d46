import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkOpenApiCompatibility, diffOpenApi } from "./openapi";
import type { TPairChange } from "./types";
import { validateContract } from "./validate";

type TDoc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely

const base: TDoc = parse(readFileSync(path.join(import.meta.dirname, "fixtures/users-api.v1.yaml"), "utf8"));

function edited(edit: (doc: TDoc) => void, from: TDoc = base): TDoc {
  const doc = structuredClone(from);
  edit(doc);
  return doc;
}

function changesAfter(edit: (doc: TDoc) => void): TPairChange[] {
  return diffOpenApi(base, edited(edit));
}

const schemas = (doc: TDoc) => doc.components.schemas;
const listUsers = (doc: TDoc) => doc.paths["/users"].get;
const createUser = (doc: TDoc) => doc.paths["/users"].post;

describe("the users API fixture", () => {
  it("is a valid OpenAPI document with no changes against itself", () => {
    expect(validateContract("openapi", base)).toEqual([]);
    expect(diffOpenApi(base, structuredClone(base))).toEqual([]);
  });
});

type TDetection = [check: string, edit: (doc: TDoc) => void, level: "ERR" | "WARN", operation: string | undefined];

const detections: TDetection[] = [
  ["api-path-removed-without-deprecation", (d) => delete d.paths["/categories"], "ERR", "/categories"],
  ["api-path-removed-with-deprecation", (d) => delete d.paths["/legacy/export"], "WARN", "/legacy/export"],
  ["api-removed-without-deprecation", (d) => delete d.paths["/users/{id}"].patch, "ERR", "PATCH /users/{id}"],
  ["api-removed-with-deprecation", (d) => delete d.paths["/users/{id}"].delete, "WARN", "DELETE /users/{id}"],
  ["new-required-request-parameter", (d) => listUsers(d).parameters.push({ name: "org", in: "query", required: true, schema: { type: "string" } }), "ERR", "GET /users"],
  ["request-parameter-became-required", (d) => (listUsers(d).parameters[0].required = true), "ERR", "GET /users"],
  ["request-parameter-removed", (d) => listUsers(d).parameters.splice(1, 1), "WARN", "GET /users"],
  ["request-parameter-type-changed", (d) => (listUsers(d).parameters[0].schema.type = "string"), "ERR", "GET /users"],
  ["request-parameter-enum-value-removed", (d) => (listUsers(d).parameters[1].schema.enum = ["active"]), "ERR", "GET /users"],
  ["request-parameter-max-decreased", (d) => (listUsers(d).parameters[0].schema.maximum = 50), "ERR", "GET /users"],
  ["request-parameter-min-increased", (d) => (listUsers(d).parameters[0].schema.minimum = 5), "ERR", "GET /users"],
  ["request-parameter-format-changed", (d) => (d.paths["/users/{id}"].parameters[0].schema.format = "ulid"), "ERR", "GET /users/{id}"],
  ["request-body-became-required", (d) => (d.paths["/users/{id}"].patch.requestBody.required = true), "ERR", "PATCH /users/{id}"],
  ["request-body-added-required", (d) => (d.paths["/users/{id}"].delete.requestBody = { required: true, content: { "application/json": { schema: { type: "object" } } } }), "ERR", "DELETE /users/{id}"],
  ["request-body-media-type-removed", (d) => delete createUser(d).requestBody.content["application/x-www-form-urlencoded"], "ERR", "POST /users"],
  ["new-required-request-property", (d) => (schemas(d).NewUser.properties.team = { type: "string" }, schemas(d).NewUser.required.push("team")), "ERR", "POST /users"],
  ["request-property-became-required", (d) => schemas(d).NewUser.required.push("role"), "ERR", "POST /users"],
  ["request-property-removed", (d) => delete schemas(d).NewUser.properties.role, "WARN", "POST /users"],
  ["request-property-type-changed", (d) => (schemas(d).NewUser.properties.age.type = "string"), "ERR", "POST /users"],
  ["request-property-enum-value-removed", (d) => (schemas(d).NewUser.properties.role.enum = ["admin"]), "ERR", "POST /users"],
  ["request-property-became-enum", (d) => (schemas(d).NewUser.properties.tags.items.enum = ["vip", "beta"]), "ERR", "POST /users"],
  ["request-property-max-length-decreased", (d) => (schemas(d).NewUser.properties.name.maxLength = 50), "ERR", "POST /users"],
  ["request-property-min-length-increased", (d) => (schemas(d).NewUser.properties.name.minLength = 3), "ERR", "POST /users"],
  ["request-property-max-items-decreased", (d) => (schemas(d).NewUser.properties.tags.maxItems = 5), "ERR", "POST /users"],
  ["request-property-min-increased", (d) => (schemas(d).NewUser.properties.age.minimum = 18), "ERR", "POST /users"],
  ["request-property-max-decreased", (d) => (schemas(d).NewUser.properties.age.exclusiveMaximum = 150), "ERR", "POST /users"],
  ["request-property-became-not-nullable", (d) => (schemas(d).NewUser.properties.nickname.type = "string"), "ERR", "POST /users"],
  ["request-property-pattern-added", (d) => (schemas(d).NewUser.properties.name.pattern = "^[A-Za-z ]+$"), "ERR", "POST /users"],
  ["request-property-format-changed", (d) => (schemas(d).NewUser.properties.email.format = "idn-email"), "ERR", "POST /users"],
  ["request-parameter-type-changed", (d) => (d.components.parameters.Tenant.schema.type = "integer"), "ERR", "GET /users"],
  ["response-success-status-removed", (d) => delete createUser(d).responses["201"], "ERR", "POST /users"],
  ["response-non-success-status-removed", (d) => delete createUser(d).responses["409"], "WARN", "POST /users"],
  ["response-media-type-removed", (d) => delete d.paths["/legacy/export"].get.responses["200"].content["text/csv"], "ERR", "GET /legacy/export"],
  ["response-property-removed", (d) => (delete schemas(d).User.properties.createdAt, schemas(d).User.required.pop()), "ERR", "GET /users/{id}"],
  ["response-optional-property-removed", (d) => delete schemas(d).User.properties.nickname, "WARN", "GET /users/{id}"],
  ["response-property-became-optional", (d) => (schemas(d).User.required = ["id", "name", "createdAt"]), "ERR", "GET /users/{id}"],
  ["response-property-enum-value-added", (d) => schemas(d).User.properties.status.enum.push("deleted"), "ERR", "GET /users/{id}"],
  ["response-property-type-changed", (d) => (schemas(d).User.properties.score.type = "string"), "ERR", "GET /users/{id}"],
  ["response-property-became-nullable", (d) => (schemas(d).User.properties.name.type = ["string", "null"]), "ERR", "GET /users/{id}"],
  ["response-property-format-changed", (d) => (schemas(d).User.properties.createdAt.format = "date"), "ERR", "GET /users/{id}"],
  ["response-property-max-length-increased", (d) => (schemas(d).User.properties.name.maxLength = 200), "WARN", "GET /users/{id}"],
  ["response-property-max-increased", (d) => (schemas(d).User.properties.age.maximum = 200), "WARN", "GET /users/{id}"],
  ["response-body-type-changed", (d) => (schemas(d).Category.type = "array"), "ERR", "GET /categories"],
  ["required-response-header-removed", (d) => delete listUsers(d).responses["200"].headers["X-Total-Count"], "ERR", "GET /users"],
  ["optional-response-header-removed", (d) => delete listUsers(d).responses["200"].headers["X-Request-Id"], "WARN", "GET /users"],
  ["response-header-became-optional", (d) => (listUsers(d).responses["200"].headers["X-Total-Count"].required = false), "ERR", "GET /users"],
  ["response-header-type-changed", (d) => (listUsers(d).responses["200"].headers["X-Total-Count"].schema.type = "string"), "ERR", "GET /users"],
  ["api-security-added", (d) => (d.paths["/categories"].get.security = [{ oauth: ["users:read"] }]), "ERR", "GET /categories"],
  ["api-global-security-added", (d) => (d.security = [{ oauth: ["users:read"] }]), "ERR", undefined],
];

describe("breaking changes", () => {
  it.each(detections)("%s is detected", (check, edit, level, operation) => {
    const changes = changesAfter(edit);
    const found = changes.find((c) => c.id === check && (operation === undefined || c.operation === operation));
    expect(found, JSON.stringify(changes.map((c) => `${c.id} ${c.operation}`))).toMatchObject({ level });
    expect(found!.message.length).toBeGreaterThan(10);
    expect(found!.explanation).toBeTruthy();
    expect(found!.fix).toBeTruthy();
    expect(found!.path).toMatch(/^#\//);
  });

  it("a pattern change is a warning, not an error (regular expressions cannot be compared)", () => {
    const changes = diffOpenApi(edited((d) => (schemas(d).NewUser.properties.email.pattern = "@")), edited((d) => (schemas(d).NewUser.properties.email.pattern = ".+@.+")));
    expect(changes.map((c) => [c.id, c.level])).toContainEqual(["request-property-pattern-changed", "WARN"]);
  });

  it("adding a scope to an operation's security is detected", () => {
    const before = edited((d) => (listUsers(d).security = [{ oauth: ["users:read"] }]));
    const after = edited((d) => (listUsers(d).security = [{ oauth: ["users:read", "users:write"] }]));
    expect(diffOpenApi(before, after)).toEqual([expect.objectContaining({ id: "api-security-scope-added", level: "ERR", operation: "GET /users" })]);
    expect(diffOpenApi(after, before)).toEqual([expect.objectContaining({ id: "api-security-scope-removed", level: "INFO" })]);
  });

  it("removing a oneOf alternative from a request and adding one to a response are detected", () => {
    const api = (alternatives: string[]) => ({
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {
        "/pay": {
          post: {
            requestBody: { content: { "application/json": { schema: { oneOf: alternatives.map((a) => ({ $ref: `#/components/schemas/${a}` })) } } } },
            responses: { "200": { description: "ok", content: { "application/json": { schema: { oneOf: alternatives.map((a) => ({ $ref: `#/components/schemas/${a}` })) } } } } },
          },
        },
      },
      components: { schemas: { Card: { type: "object" }, Iban: { type: "object" }, Wallet: { type: "object" } } },
    });
    const ids = diffOpenApi(api(["Card", "Iban"]), api(["Card", "Wallet"])).map((c) => `${c.id} ${c.level}`);
    expect(ids).toEqual(["request-body-one-of-removed ERR", "request-body-one-of-added INFO", "response-body-one-of-removed INFO", "response-body-one-of-added WARN"]);
  });
});

describe("compatible changes", () => {
  const compatible: [string, (doc: TDoc) => void][] = [
    ["adding an optional query parameter", (d) => listUsers(d).parameters.push({ name: "q", in: "query", schema: { type: "string" } })],
    ["adding an optional request property", (d) => (schemas(d).NewUser.properties.team = { type: "string" })],
    ["making a request property optional", (d) => (schemas(d).NewUser.required = ["name"])],
    ["adding a value to a request enum", (d) => schemas(d).NewUser.properties.role.enum.push("guest")],
    ["raising a request maxLength and lowering a minimum", (d) => ((schemas(d).NewUser.properties.name.maxLength = 200), (schemas(d).NewUser.properties.age.minimum = -1))],
    ["widening a request property from integer to number", (d) => (schemas(d).NewUser.properties.age.type = "number")],
    ["making a request property nullable", (d) => (schemas(d).NewUser.properties.name.type = ["string", "null"])],
    ["adding response properties, required or not", (d) => ((schemas(d).User.properties.team = { type: "string" }), (schemas(d).User.properties.email = { type: "string" }), schemas(d).User.required.push("email"))],
    ["removing a value from a response enum", (d) => (schemas(d).User.properties.status.enum = ["active"])],
    ["making an optional response property required", (d) => schemas(d).User.required.push("nickname")],
    ["narrowing a response property from number to integer", (d) => (schemas(d).User.properties.score.type = "integer")],
    ["adding a path and an operation", (d) => ((d.paths["/teams"] = { get: { responses: { "200": { description: "ok" } } } }), (d.paths["/categories"].post = { responses: { "201": { description: "ok" } } }))],
    ["adding an error response and a media type", (d) => ((listUsers(d).responses["429"] = { description: "slow down" }), (createUser(d).requestBody.content["application/xml"] = { schema: { type: "object" } }))],
    ["making the request body optional", (d) => (createUser(d).requestBody.required = false)],
    ["dropping security from an operation", (d) => (listUsers(d).security = [])],
    ["adding a security alternative", (d) => d.security.push({ oauth: ["users:read"] })],
    ["changing descriptions and examples", (d) => ((schemas(d).User.description = "A person"), (listUsers(d).description = "Lists users"))],
    ["removing a read-only property from a request body", (d) => delete schemas(d).NewUser.properties.id],
    ["removing a write-only property from a response", (d) => delete schemas(d).User.properties.password],
    ["deprecating an operation", (d) => (listUsers(d).deprecated = true)],
  ];

  it.each(compatible)("%s breaks nothing", (_name, edit) => {
    const changes = changesAfter(edit);
    expect(changes.filter((c) => c.level !== "INFO"), JSON.stringify(changes, null, 1)).toEqual([]);
  });

  it("renaming a path parameter changes nothing", () => {
    const renamed = edited((d) => {
      d.paths["/users/{userId}"] = d.paths["/users/{id}"];
      delete d.paths["/users/{id}"];
      d.paths["/users/{userId}"].parameters[0].name = "userId";
    });
    expect(diffOpenApi(base, renamed)).toEqual([]);
  });

  it("INFO findings are reported for additions", () => {
    const ids = changesAfter((d) => listUsers(d).parameters.push({ name: "q", in: "query", schema: { type: "string" } })).map((c) => c.id);
    expect(ids).toEqual(["new-optional-request-parameter"]);
  });
});

describe("$ref resolution", () => {
  it("reports a change to a shared component under every operation that uses it", () => {
    const operations = changesAfter((d) => schemas(d).User.properties.status.enum.push("deleted"))
      .filter((c) => c.id === "response-property-enum-value-added")
      .map((c) => c.operation);
    expect(new Set(operations)).toEqual(new Set(["GET /users", "POST /users", "GET /users/{id}", "PATCH /users/{id}"]));
  });

  it("follows references to parameters and responses in components", () => {
    const changes = changesAfter((d) => delete d.components.responses.Problem.content["application/problem+json"].schema.properties.title);
    expect(changes.map((c) => `${c.id} ${c.operation}`)).toEqual([
      "response-optional-property-removed GET /users",
      "response-optional-property-removed POST /users",
      "response-optional-property-removed GET /users/{id}",
    ]);
  });

  it("flattens allOf, so a change to a member reaches the composed schema", () => {
    const patch = changesAfter((d) => schemas(d).NewUser.required.push("role")).filter((c) => c.operation === "PATCH /users/{id}");
    expect(patch.map((c) => c.id)).toEqual(["request-property-became-required"]);
  });

  it("terminates on recursive schemas and still finds changes inside them", () => {
    expect(diffOpenApi(base, structuredClone(base))).toEqual([]);
    const changes = changesAfter((d) => (schemas(d).Category.properties.name.type = "integer"));
    expect(changes).toEqual([
      expect.objectContaining({
        id: "response-property-type-changed",
        operation: "GET /categories",
        path: "#/paths/~1categories/get/responses/200/content/application~1json/schema/properties/name",
      }),
    ]);
    const manager = changesAfter((d) => (schemas(d).User.properties.manager = { $ref: "#/components/schemas/Category" }));
    expect(manager.filter((c) => c.operation === "GET /users/{id}").map((c) => `${c.id} ${c.message}`)).toContain(
      "response-property-removed the response property 'manager.createdAt' (200, application/json) was removed (it was required)",
    );
  });

  it("applies OpenAPI 3.1 siblings of $ref", () => {
    const before = edited((d) => (schemas(d).NewUser.properties.name = { $ref: "#/components/schemas/Name" }, (schemas(d).Name = { type: "string" })));
    const after = edited((d) => (schemas(d).NewUser.properties.name = { $ref: "#/components/schemas/Name", maxLength: 20 }, (schemas(d).Name = { type: "string" })));
    expect(diffOpenApi(before, after).map((c) => c.id)).toContain("request-property-max-length-decreased");
  });

  it("understands OpenAPI 3.0 nullable", () => {
    const v30 = (nullable: boolean) => ({
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: { "/x": { post: { requestBody: { content: { "application/json": { schema: { type: "object", properties: { a: { type: "string", nullable } } } } } }, responses: { "204": { description: "ok" } } } } },
    });
    expect(diffOpenApi(v30(true), v30(false)).map((c) => `${c.id} ${c.level}`)).toEqual(["request-property-became-not-nullable ERR"]);
  });
});

describe("checkOpenApiCompatibility", () => {
  const v1 = { label: "v1.yaml", document: base };
  const v2 = { label: "v2.yaml", document: edited((d) => (schemas(d).NewUser.properties.team = { type: "string" })) };

  it("BACKWARD: clients of v1 keep working against v2", () => {
    expect(checkOpenApiCompatibility([v1], v2)).toMatchObject({ kind: "openapi", mode: "BACKWARD", compatible: true });
  });

  it("FORWARD: clients of v2 calling a rolled-back v1 get a warning, which fails with failOn WARN", () => {
    const result = checkOpenApiCompatibility([v1], v2, { mode: "FORWARD" });
    expect(result.compatible).toBe(true);
    expect(result.changes.map((c) => `${c.id} ${c.level} ${c.direction}`)).toContain("request-property-removed WARN forward");
    expect(checkOpenApiCompatibility([v1], v2, { mode: "FORWARD", failOn: "WARN" }).compatible).toBe(false);
  });

  it("BACKWARD_TRANSITIVE names the version a change breaks", () => {
    const v3 = { label: "v3.yaml", document: edited((d) => delete d.paths["/categories"], v2.document) };
    const result = checkOpenApiCompatibility([v1, v2], v3, { mode: "BACKWARD_TRANSITIVE" });
    expect(result.compatible).toBe(false);
    expect(result.changes.filter((c) => c.level === "ERR").map((c) => c.against)).toEqual(["v1.yaml", "v2.yaml"]);
  });
});
