import { describe, expect, it } from "vitest";
import { z } from "zod";
import { coerceParam, toJsonSchema } from "./json-schema";

describe("query and path parameters read by their schema", () => {
  const props = toJsonSchema(
    z.object({ limit: z.number().int(), on: z.boolean(), tags: z.array(z.number()), name: z.string(), maybe: z.number().nullable(), when: z.date() }),
    "input",
  ).properties as Record<string, Record<string, unknown>>;

  it("turns numbers, booleans, lists and null into their types", () => {
    expect(coerceParam(["20"], props.limit)).toBe(20);
    expect(coerceParam(["true"], props.on)).toBe(true);
    expect(coerceParam(["1,2", "3"], props.tags)).toEqual([1, 2, 3]);
    expect(coerceParam(["null"], props.maybe)).toBeNull();
    expect(coerceParam(["007"], props.name)).toBe("007");
  });

  it("passes what does not parse on as text, for the schema to refuse", () => {
    expect(coerceParam(["twenty"], props.limit)).toBe("twenty");
    expect(coerceParam([""], props.limit)).toBe("");
    expect(coerceParam(["yes"], props.on)).toBe("yes");
  });

  it("describes dates as date-time strings", () => {
    expect(props.when).toEqual({ type: "string", format: "date-time" });
  });
});
