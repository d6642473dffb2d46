import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffJsonSchema, formatDifference, isCompatible } from "./jsonschema";

/** One upstream case; see tests/conformance/README.md. */
type TCase = {
  description: string;
  original_schema: unknown;
  update_schema: unknown;
  changes: string[];
  compatible: boolean;
  compatible_lenient?: boolean;
};

const file = path.resolve(import.meta.dirname, "../../../tests/conformance/confluent-jsonschema-diff-examples.json");
const cases = JSON.parse(readFileSync(file, "utf8")) as TCase[];

describe("Confluent Schema Registry's JSON Schema diff examples", () => {
  it("are all here (104 cases: 66 compatible, 38 not)", () => {
    expect(cases).toHaveLength(104);
    expect(cases.filter((c) => c.compatible)).toHaveLength(66);
  });

  describe.each(cases.map((c, i) => [`#${i + 1} ${c.description}`, c] as const))("%s", (_name, c) => {
    const differences = diffJsonSchema(c.original_schema, c.update_schema);

    it(`gives the BACKWARD verdict ${c.compatible ? "compatible" : "incompatible"}`, () => {
      expect(isCompatible(differences)).toBe(c.compatible);
    });

    it("lists the same changes, in the same order", () => {
      expect(differences.map(formatDifference)).toEqual(c.changes);
    });

    it("gives the lenient verdict", () => {
      expect(isCompatible(diffJsonSchema(c.original_schema, c.update_schema, "lenient"), "lenient")).toBe(c.compatible_lenient ?? c.compatible);
    });
  });
});
