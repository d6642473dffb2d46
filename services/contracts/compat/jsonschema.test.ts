import { describe, expect, it } from "vitest";
import { checkJsonSchemaCompatibility, diffJsonSchema, formatDifference, isCompatible } from "./jsonschema";
import type { TContractVersion } from "./types";

const v = (label: string, document: unknown): TContractVersion => ({ label, document });

const closed = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

const diff = (a: unknown, b: unknown) => diffJsonSchema(a, b).map(formatDifference);

describe("compatibility modes", () => {
  // v1 -> v2 adds an optional property to a closed model: readers on v2 read v1 data (BACKWARD),
  // but readers on v1 reject v2 data that carries the new property (FORWARD).
  const v1 = v("v1.json", closed({ id: { type: "string" } }, ["id"]));
  const v2 = v("v2.json", closed({ id: { type: "string" }, note: { type: "string" } }, ["id"]));

  it("BACKWARD (the default) asks whether a reader on the new version reads what the old one wrote", () => {
    const result = checkJsonSchemaCompatibility([v1], v2);
    expect(result).toMatchObject({ kind: "jsonschema", mode: "BACKWARD", compatible: true, checkedAgainst: ["v1.json"] });
    expect(result.changes).toEqual([
      expect.objectContaining({ id: "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", level: "INFO", path: "#/properties/note", direction: "backward", against: "v1.json" }),
    ]);
  });

  it("FORWARD asks whether a reader on the old version reads what the new one writes", () => {
    const result = checkJsonSchemaCompatibility([v1], v2, { mode: "FORWARD" });
    expect(result.compatible).toBe(false);
    expect(result.changes).toEqual([
      expect.objectContaining({ id: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", level: "ERR", path: "#/properties/note", direction: "forward" }),
    ]);
    expect(result.changes[0]!.message).toContain("v1.json");
    expect(result.changes[0]!.fix).toBeTruthy();
  });

  it("FULL needs both directions", () => {
    expect(checkJsonSchemaCompatibility([v1], v2, { mode: "FULL" }).compatible).toBe(false);
    const withOptionalOpen = v("v2b.json", { ...closed({ id: { type: "string" } }, ["id"]), additionalProperties: false, description: "ids" });
    const full = checkJsonSchemaCompatibility([v1], withOptionalOpen, { mode: "FULL" });
    expect(full.compatible).toBe(true);
    expect(full.changes.map((c) => [c.id, c.direction])).toEqual([
      ["DESCRIPTION_CHANGED", "backward"],
      ["DESCRIPTION_CHANGED", "forward"],
    ]);
  });

  describe("with three versions", () => {
    // v1 requires `name`; v2 makes it optional; v3 removes it from the closed model. Each step is
    // BACKWARD compatible with its predecessor, but v3 cannot read v1 data that has `name`.
    const t1 = v("v1.json", closed({ id: { type: "string" }, name: { type: "string" } }, ["id", "name"]));
    const t2 = v("v2.json", { ...closed({ id: { type: "string" }, name: { type: "string" } }, ["id"]), additionalProperties: { type: "string" } });
    const t3 = v("v3.json", closed({ id: { type: "string" } }, ["id"]));

    it("the non-transitive mode checks against the latest version only", () => {
      const result = checkJsonSchemaCompatibility([t1, t2], t3);
      expect(result.checkedAgainst).toEqual(["v2.json"]);
      expect(result.compatible).toBe(false); // v2 allowed additional strings, v3 closes the model
    });

    it("BACKWARD_TRANSITIVE checks against every earlier version and names the one that breaks", () => {
      const t3open = v("v3.json", { ...closed({ id: { type: "string" } }, ["id"]), additionalProperties: { type: "string" } });
      expect(checkJsonSchemaCompatibility([t1, t2], t3open).compatible).toBe(true);
      const result = checkJsonSchemaCompatibility([t1, t2], t3open, { mode: "BACKWARD_TRANSITIVE" });
      expect(result.checkedAgainst).toEqual(["v1.json", "v2.json"]);
      expect(result.compatible).toBe(true); // `name` (a string) is still covered by additionalProperties
      const t3number = v("v3.json", { ...closed({ id: { type: "string" } }, ["id"]), additionalProperties: { type: "string", maxLength: 3 } });
      const broken = checkJsonSchemaCompatibility([t1, t2], t3number, { mode: "BACKWARD_TRANSITIVE" });
      expect(broken.compatible).toBe(false);
      expect(new Set(broken.changes.filter((c) => c.level === "ERR").map((c) => c.against))).toEqual(new Set(["v1.json", "v2.json"]));
    });

    it("FORWARD_TRANSITIVE and FULL_TRANSITIVE check every earlier version in their directions", () => {
      const a = v("a.json", { type: "integer" });
      const b = v("b.json", { type: "number" });
      const c = v("c.json", { type: "integer" });
      // c reads a and b's data? b wrote fractions: BACKWARD from b fails.
      expect(checkJsonSchemaCompatibility([a, b], c).compatible).toBe(false);
      // Readers on a and b read c's integers: FORWARD_TRANSITIVE holds.
      expect(checkJsonSchemaCompatibility([a, b], c, { mode: "FORWARD_TRANSITIVE" }).compatible).toBe(true);
      expect(checkJsonSchemaCompatibility([a, b], c, { mode: "FULL_TRANSITIVE" }).compatible).toBe(false);
      expect(checkJsonSchemaCompatibility([a], c, { mode: "FULL_TRANSITIVE" }).compatible).toBe(true);
    });
  });

  it("NONE is always compatible and lists the changes for information", () => {
    const result = checkJsonSchemaCompatibility([v("a", { type: "string" })], v("b", { type: "object" }), { mode: "NONE" });
    expect(result.compatible).toBe(true);
    expect(result.changes).toEqual([expect.objectContaining({ id: "TYPE_CHANGED", level: "INFO" })]);
  });

  it("the first version is compatible with nothing before it", () => {
    expect(checkJsonSchemaCompatibility([], v("v1", { type: "string" }))).toMatchObject({ compatible: true, checkedAgainst: [], changes: [] });
  });

  it("the lenient rules accept adding a property to an open content model", () => {
    const a = v("a", { properties: { foo: { type: "string" } } });
    const b = v("b", { properties: { foo: { type: "string" }, bar: { type: "number" } } });
    expect(checkJsonSchemaCompatibility([a], b).compatible).toBe(false);
    expect(checkJsonSchemaCompatibility([a], b, { rules: "lenient" }).compatible).toBe(true);
  });
});

describe("the JSON Schema differ", () => {
  it("widens integer to number compatibly and narrows number to integer incompatibly", () => {
    expect(diff({ type: "integer" }, { type: "number" })).toEqual(["TYPE_EXTENDED #/"]);
    expect(diff({ type: "number" }, { type: "integer" })).toEqual(["TYPE_NARROWED #/"]);
  });

  it("accepts a union that still contains the old type, and rejects one that does not", () => {
    expect(diff({ type: "string" }, { type: ["string", "null"] })).toEqual(["SUM_TYPE_EXTENDED #/"]);
    expect(isCompatible(diffJsonSchema({ type: "string" }, { type: ["integer", "null"] }))).toBe(false);
  });

  it("reports format changes (not in Confluent's differ): added and changed break, removed does not", () => {
    expect(diff({ type: "string" }, { type: "string", format: "email" })).toEqual(["FORMAT_ADDED #/format"]);
    expect(diff({ type: "string", format: "uuid" }, { type: "string", format: "email" })).toEqual(["FORMAT_CHANGED #/format"]);
    expect(isCompatible(diffJsonSchema({ type: "string", format: "uuid" }, { type: "string" }))).toBe(true);
  });

  it("treats const like a one-value enum", () => {
    expect(diff({ const: "a" }, { enum: ["a", "b"] })).toEqual(["ENUM_ARRAY_EXTENDED #/enum"]);
    expect(diff({ enum: ["a", "b"] }, { const: "a" })).toEqual(["ENUM_ARRAY_NARROWED #/enum"]);
  });

  it("compares numeric bounds, exclusive bounds (draft 4 booleans included) and multipleOf", () => {
    expect(diff({ type: "number", exclusiveMaximum: 10 }, { type: "number", exclusiveMaximum: 5 })).toEqual(["EXCLUSIVE_MAXIMUM_DECREASED #/exclusiveMaximum"]);
    expect(diff({ type: "number", maximum: 10, exclusiveMaximum: true }, { type: "number", maximum: 10 })).toEqual([
      "MAXIMUM_ADDED #/maximum",
      "EXCLUSIVE_MAXIMUM_REMOVED #/exclusiveMaximum",
    ]);
    expect(diff({ type: "number", multipleOf: 0.5 }, { type: "number", multipleOf: 0.1 })).toEqual(["MULTIPLE_OF_REDUCED #/multipleOf"]);
    expect(diff({ type: "number", multipleOf: 0.5 }, { type: "number", multipleOf: 10 })).toEqual(["MULTIPLE_OF_EXPANDED #/multipleOf"]);
  });

  it("checks patternProperties added to an open model, removed from a closed one, and changed in place", () => {
    const open = { type: "object" };
    expect(diff(open, { type: "object", patternProperties: { "^x-": { type: "string" } } })).toEqual([
      "PATTERN_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/patternProperties/^x-",
    ]);
    expect(diff({ type: "object", additionalProperties: false, patternProperties: { "^x-": { type: "string" } } }, { type: "object", additionalProperties: false })).toEqual([
      "PATTERN_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/patternProperties/^x-",
    ]);
    expect(diff({ type: "object", patternProperties: { "^x-": { type: "string" } } }, { type: "object", patternProperties: { "^x-": { type: "integer" } } })).toEqual([
      "TYPE_CHANGED #/patternProperties/^x-",
    ]);
  });

  it("handles 2020-12 prefixItems with items as the additional items", () => {
    const before = { type: "array", prefixItems: [{ type: "string" }], items: false };
    const after = { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false };
    expect(diff(before, after)).toEqual(["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/prefixItems/1"]);
    expect(diff(after, before)).toEqual(["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/prefixItems/1"]);
  });

  it("follows $ref into $defs and definitions, and through anchors", () => {
    const a = { $defs: { Id: { type: "string" } }, type: "object", properties: { id: { $ref: "#/$defs/Id" } } };
    const b = { definitions: { Id: { $anchor: "id", type: "integer" } }, type: "object", properties: { id: { $ref: "#id" } } };
    expect(diff(a, b)).toEqual(["TYPE_CHANGED #/properties/id"]);
  });

  it("applies constraints written next to $ref (2019-09 and later) but not in draft 7", () => {
    const base = { $defs: { Name: { type: "string" } }, properties: { n: { $ref: "#/$defs/Name" } } };
    const limited = { $defs: { Name: { type: "string" } }, properties: { n: { $ref: "#/$defs/Name", maxLength: 3 } } };
    expect(isCompatible(diffJsonSchema(base, limited))).toBe(false);
    const draft7 = (s: object) => ({ $schema: "http://json-schema.org/draft-07/schema#", ...s });
    expect(diffJsonSchema(draft7(base), draft7(limited))).toEqual([]);
  });

  it("handles dependentRequired and dependentSchemas (2019-09)", () => {
    expect(diff({ dependentRequired: { a: ["b"] } }, { dependentRequired: { a: ["b", "c"] } })).toEqual(["DEPENDENCY_ARRAY_EXTENDED #/dependentRequired/a"]);
    expect(diff({ dependentSchemas: { a: { required: ["b"] } } }, { dependentSchemas: {} })).toEqual(["DEPENDENCY_SCHEMA_REMOVED #/dependentSchemas/a"]);
  });

  it("reports a nested change inside oneOf members by their index", () => {
    const before = { oneOf: [{ type: "string" }, { type: "object", properties: { a: { type: "string", maxLength: 5 } } }] };
    const after = { oneOf: [{ type: "string" }, { type: "object", properties: { a: { type: "string", maxLength: 9 } } }] };
    expect(diff(before, after)).toEqual(["MAX_LENGTH_INCREASED #/oneOf/1/properties/a/maxLength"]);
  });
});

describe("recursive schemas", () => {
  const tree = (leaf: string) => ({
    $defs: {
      Node: {
        type: "object",
        properties: { value: { type: leaf }, children: { type: "array", items: { $ref: "#/$defs/Node" } }, parent: { $ref: "#/$defs/Node" } },
      },
    },
    $ref: "#/$defs/Node",
  });

  it("terminate and find nothing when unchanged", () => {
    expect(diffJsonSchema(tree("string"), tree("string"))).toEqual([]);
  });

  it("still find a change in the recursive part", () => {
    expect(diff(tree("integer"), tree("number"))).toEqual(["TYPE_EXTENDED #/properties/value"]);
    expect(isCompatible(diffJsonSchema(tree("string"), tree("number")))).toBe(false);
  });

  it("terminate on a $ref cycle that never reaches a schema", () => {
    const loop = { $defs: { A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } }, properties: { x: { $ref: "#/$defs/A" } } };
    expect(diffJsonSchema(loop, loop)).toEqual([]);
  });

  it("do not let a guess made inside a cycle hide an incompatibility found elsewhere", () => {
    // T0 -> T2 -> T0 is a cycle behind singleton oneOfs; the root is oneOf [T0, T1]. The ids of T0
    // and T1 change type incompatibly, which a single memoized pass can miss (a pair guessed
    // compatible inside the cycle is then reused for the root's matching).
    const schema = (t0: string, t1: string) => {
      const node = (idType: string, ref: string) => ({
        type: "object",
        properties: { id: { type: idType }, ref: { oneOf: [{ $ref: `#/definitions/${ref}` }] } },
      });
      return {
        definitions: { T0: node(t0, "T2"), T1: node(t1, "T2"), T2: node("integer", "T0") },
        type: "object",
        properties: { root: { oneOf: [{ $ref: "#/definitions/T0" }, { $ref: "#/definitions/T1" }] } },
      };
    };
    expect(isCompatible(diffJsonSchema(schema("integer", "boolean"), schema("boolean", "number")))).toBe(false);
    expect(isCompatible(diffJsonSchema(schema("integer", "boolean"), schema("integer", "boolean")))).toBe(true);
  });

  it("stay fast with many mutually recursive union members", () => {
    const types = Array.from({ length: 12 }, (_, i) => `T${i}`);
    const union = () => ({ oneOf: types.map((t) => ({ $ref: `#/definitions/${t}` })) });
    const schema = () => ({
      definitions: Object.fromEntries(types.map((t) => [t, { type: "object", properties: { id: { type: "string" }, under: union(), ref: union() } }])),
      type: "object",
      properties: { product: union() },
    });
    const started = performance.now();
    expect(diffJsonSchema(schema(), schema())).toEqual([]);
    const changed = schema();
    (changed.definitions.T0!.properties.id as { type: string }).type = "number";
    expect(isCompatible(diffJsonSchema(schema(), changed))).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
