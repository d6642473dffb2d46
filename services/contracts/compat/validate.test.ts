import { describe, expect, it } from "vitest";
import { detectKind, validateContract } from "./validate";

describe("detectKind", () => {
  it("says openapi for a document with an openapi key, jsonschema otherwise", () => {
    expect(detectKind({ openapi: "3.1.0", paths: {} })).toBe("openapi");
    expect(detectKind({ type: "object" })).toBe("jsonschema");
    expect(detectKind(true)).toBe("jsonschema");
  });
});

describe("validateContract", () => {
  it("accepts schemas, including booleans and remote references", () => {
    expect(validateContract("jsonschema", { type: "object", properties: { a: { $ref: "https://example.com/a.json" } } })).toEqual([]);
    expect(validateContract("jsonschema", false)).toEqual([]);
  });

  it("rejects what is not a schema, saying where", () => {
    expect(validateContract("jsonschema", [1, 2])).toEqual(["#/: not a JSON Schema (expected an object or a boolean)"]);
    expect(validateContract("jsonschema", { type: "strin" })).toEqual([expect.stringMatching(/^#\/type: unknown type "strin"/)]);
    expect(validateContract("jsonschema", { properties: { a: 3 } })).toEqual(["#/properties/a: a schema must be an object or a boolean"]);
    expect(validateContract("jsonschema", { required: "a" })).toEqual(["#/required: required must be an array of property names"]);
    expect(validateContract("jsonschema", { pattern: "(" })).toEqual(["#/pattern: pattern must be a valid regular expression"]);
    expect(validateContract("jsonschema", { anyOf: [] })).toEqual(["#/anyOf: anyOf must be a non-empty array of schemas"]);
    expect(validateContract("jsonschema", { $ref: "#/$defs/missing" })).toEqual(['#/: $ref "#/$defs/missing" does not resolve']);
    expect(validateContract("jsonschema", { swagger: "2.0" })[0]).toMatch(/Swagger 2.0/);
  });

  it("rejects OpenAPI documents of an unsupported version, without paths, or with broken references", () => {
    expect(validateContract("openapi", { openapi: "2.0" })).toEqual(['#/openapi: unsupported OpenAPI version "2.0" (expected 3.0.x or 3.1.x)']);
    expect(validateContract("openapi", { openapi: "3.1.0" })).toEqual(["#/: an OpenAPI document needs paths, webhooks or components"]);
    expect(validateContract("openapi", { openapi: "3.0.3", paths: { users: {} } })).toEqual(["#/paths/users: a path must start with /"]);
    const broken = { openapi: "3.1.0", paths: { "/a": { get: { responses: { "200": { $ref: "#/components/responses/Nope" } } } } } };
    expect(validateContract("openapi", broken)).toEqual(['#/paths/~1a/get/responses/200: $ref "#/components/responses/Nope" does not resolve']);
  });
});
