import { describe, expect, it } from "vitest";
import { alignLines, foldRows, jsonLines, lineMatches } from "./json-lines";

describe("side-by-side JSON", () => {
  it("prints every line with the pointer of its value", () => {
    const lines = jsonLines({ a: { "b/c": [1, true] }, e: {} });
    expect(lines.map((l) => `${l.pointer} ${l.text.trim()}`)).toEqual([
      "# {",
      '#/a "a": {',
      '#/a/b~1c "b/c": [',
      "#/a/b~1c/0 1,",
      "#/a/b~1c/1 true",
      "#/a/b~1c ]",
      "#/a },",
      '#/e "e": {}',
      "# }",
    ]);
  });

  it("aligns two versions: a removed property, an added one, the rest side by side", () => {
    const rows = alignLines(jsonLines({ id: 1, title: "x", v: 2 }), jsonLines({ id: 1, v: 2, tags: [] }));
    expect(rows.map((r) => `${r.kind} ${r.left?.text.trim() ?? "-"} | ${r.right?.text.trim() ?? "-"}`)).toEqual([
      "same { | {",
      'same "id": 1, | "id": 1,',
      'removed "title": "x", | -',
      'same "v": 2 | "v": 2,',
      'added - | "tags": []',
      "same } | }",
    ]);
  });

  it("marks a change's lines: the whole value when exact, only the parent's opening line otherwise", () => {
    const lines = jsonLines({ properties: { a: { type: "string" } } });
    expect(lines.filter((l) => lineMatches(l, "#/properties/a", true)).map((l) => l.text.trim())).toEqual(['"a": {', '"type": "string"', "}"]);
    expect(lines.filter((l) => lineMatches(l, "#/properties", false)).map((l) => l.text.trim())).toEqual(['"properties": {']);
  });

  it("folds long unchanged runs, keeping context around changes", () => {
    const a = jsonLines(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, "0")}`, i])));
    const b = jsonLines(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, "0")}`, i === 15 ? -1 : i])));
    const blocks = foldRows(alignLines(a, b), () => false);
    expect(blocks.map((x) => `${x.type}:${x.rows.length}`)).toEqual(["fold:13", "rows:7", "fold:12"]);
  });
});
