import { describe, expect, it } from "vitest";
import { explainDifference, JSON_SCHEMA_EXPLANATIONS } from "./explain";
import { COMPATIBLE_CHANGES_LENIENT, COMPATIBLE_CHANGES_STRICT, DIFFERENCE_TYPES } from "./jsonschema-differences";
import { OPENAPI_CHECKS } from "./openapi-checks";

const vars = { path: "#/properties/email", name: "email", writer: "v1.json", reader: "v2.json" };
const breakingTypes = DIFFERENCE_TYPES.filter((t) => !COMPATIBLE_CHANGES_STRICT.has(t));

describe("JSON Schema explanations", () => {
  it("exist for every difference type, and only for those", () => {
    expect(Object.keys(JSON_SCHEMA_EXPLANATIONS).sort()).toEqual([...DIFFERENCE_TYPES].sort());
    for (const type of DIFFERENCE_TYPES) expect(explainDifference(type, vars).message.length, type).toBeGreaterThan(10);
  });

  it("the lenient rules only add to the strict ones", () => {
    for (const type of COMPATIBLE_CHANGES_STRICT) expect(COMPATIBLE_CHANGES_LENIENT.has(type)).toBe(true);
  });

  it.each(breakingTypes)("%s says why it breaks and how to fix it, in plain words", (type) => {
    const text = explainDifference(type, vars);
    expect(text.explanation?.length, "explanation").toBeGreaterThan(20);
    expect(text.fix?.length, "fix").toBeGreaterThan(20);
    expect(`${text.message} ${text.explanation} ${text.fix}`).not.toMatch(/\{writer\}|\{reader\}|undefined/);
  });

  it("name the versions involved", () => {
    const text = explainDifference("REQUIRED_ATTRIBUTE_ADDED", vars);
    expect(text.message).toBe("the property 'email' is required by v2.json but optional in v1.json");
    expect(text.fix).toMatch(/optional/);
    expect(text.fix).toMatch(/default/);
    expect(explainDifference("MAX_LENGTH_DECREASED", vars).explanation).toContain("v1.json");
  });

  it("suggest the remedies the contract guidelines name", () => {
    const fixes = breakingTypes.map((t) => explainDifference(t, vars).fix ?? "").join("\n");
    expect(fixes).toMatch(/make the property optional/i);
    expect(fixes).toMatch(/`default`/);
    expect(fixes).toMatch(/close the content model/i);
    expect(fixes).toMatch(/open the content model/i);
    expect(fixes).toMatch(/new major version.*deprecation window/);
  });
});

describe("OpenAPI check catalog", () => {
  const entries = [...OPENAPI_CHECKS];
  const breaking = entries.filter(([, info]) => info.level !== "INFO");

  it("has ids in oasdiff's style and every level", () => {
    for (const [id] of entries) expect(id).toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(new Set(entries.map(([, info]) => info.level))).toEqual(new Set(["ERR", "WARN", "INFO"]));
    for (const id of ["api-path-removed-without-deprecation", "request-parameter-became-required", "response-property-removed", "request-property-enum-value-removed", "response-property-enum-value-added", "api-security-added"]) {
      expect(OPENAPI_CHECKS.get(id)?.level, id).toBe("ERR");
    }
  });

  it.each(breaking.map(([id, info]) => [id, info.level, info] as const))("%s (%s) says why it breaks and how to fix it", (_id, _level, info) => {
    expect(info.explanation?.length).toBeGreaterThan(20);
    expect(info.fix?.length).toBeGreaterThan(20);
  });
});
