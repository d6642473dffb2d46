import { describe, expect, it } from "vitest";
import { renderBody, scanBody } from "./placeholders";

describe("template placeholders", () => {
  it("finds variables and module includes once each, in order of first use", () => {
    expect(scanBody("{{ a }} {{b}} {{a}} {{> footer}} {{>footer}} {{> intro-v2}}")).toEqual({ variables: ["a", "b"], modules: ["footer", "intro-v2"] });
    expect(scanBody("no placeholders, {not one} {{ }} {{1x}}")).toEqual({ variables: [], modules: [] });
  });

  it("renders values and one level of modules, leaving unknown placeholders visible", () => {
    const out = renderBody("Hi {{name}}. {{> sig}} {{missing}} {{> nope}}", { name: "Ada", team: "Core" }, { sig: "-- {{team}} {{> sig}}" });
    expect(out).toBe("Hi Ada. -- Core {{> sig}} {{missing}} {{> nope}}");
  });
});
