import { describe, expect, it } from "vitest";
import { analyzeTemplate, editDistance } from "./analyzer";
import { findMalformed, renderPlaceholders, scanPlaceholders } from "./template-syntax";
import { postmortemBody, POSTMORTEM_VARS as GOOD_VARS } from "@/services/templates/samples";

const GOOD = postmortemBody({ followUp: "{{> action-items}}" });

// A realistic bad template: no title, an undeclared variable that is a typo of a declared one,
// placeholder typos, an empty section, a TODO, a very long line, a skipped heading level.
const BAD = [
  "## Summary",
  "On {{dat}} the {service} service was degraded, see {{ impact }.",
  "",
  "## Timeline",
  "",
  "## Details",
  "#### Root cause",
  `TODO: ${"explain the root cause in detail with every contributing factor and the links to the dashboards ".repeat(3)}`,
  "Owner: {{}}",
].join("\n");
const BAD_VARS = [{ name: "date" }, { name: "service", description: "Affected service" }, { name: "impact", description: "Impact" }, { name: "owner", description: "Who follows up" }];

const codes = (a: ReturnType<typeof analyzeTemplate>) => a.problems.map((p) => `${p.severity}:${p.code}`);

describe("the template analyzer", () => {
  it("finds nothing wrong with a good template and scores it 100", () => {
    const a = analyzeTemplate({ body: GOOD, variables: GOOD_VARS, modules: { "action-items": { variables: ["owner"] } } });
    expect(a.problems).toEqual([]);
    expect(a.qualityScore).toBe(100);
    expect(a.variables).toEqual([
      { name: "title", declared: true, used: true },
      { name: "date", declared: true, used: true },
      { name: "service", declared: true, used: true },
      { name: "impact", declared: true, used: true },
    ]);
    expect(a.structure).toEqual({
      headings: [
        { level: 1, text: "Incident postmortem: {{title}}" },
        { level: 2, text: "Summary" },
        { level: 2, text: "Impact" },
        { level: 2, text: "Timeline" },
        { level: 2, text: "Follow-up" },
      ],
      sections: 5,
      words: 34,
      modules: ["action-items"],
    });
  });

  it("finds every problem of a realistic bad template, each with its line, and scores it far lower", () => {
    const a = analyzeTemplate({ body: BAD, variables: BAD_VARS, modules: {} });
    expect(codes(a)).toEqual([
      "error:undeclared-variable",
      "error:placeholder-typo",
      "error:placeholder-typo",
      "warning:placeholder-typo",
      "warning:empty-section",
      "warning:unfinished-text",
      // {{dat}}, {service} and {{ impact } do not use date, service and impact
      "warning:unused-variable",
      "warning:unused-variable",
      "warning:unused-variable",
      "warning:unused-variable",
      "warning:missing-title",
      "info:heading-skip",
      "info:long-line",
      "info:undocumented-variable",
    ]);
    const byCode = (c: string) => a.problems.filter((p) => p.code === c);
    expect(byCode("undeclared-variable")[0]).toEqual({ code: "undeclared-variable", severity: "error", message: "{{dat}} is used but not declared — did you mean {{date}}?", line: 2 });
    expect(byCode("placeholder-typo").map((p) => [p.line, p.message])).toEqual([
      [2, "{{ impact }: the placeholder is not closed — did you mean {{impact}}?"],
      [9, "{{}}: the placeholder names nothing"],
      [2, "{service}: single braces are not a placeholder — did you mean {{service}}?"],
    ]);
    expect(byCode("empty-section")[0]).toMatchObject({ message: 'section "Timeline" is empty', line: 4 });
    expect(byCode("heading-skip")[0]).toMatchObject({ message: '"Root cause" jumps from level 2 to 4', line: 7 });
    expect(byCode("unused-variable").map((p) => p.message)).toContain('variable "owner" is declared but the body never uses it');
    expect(byCode("long-line")[0]!.line).toBe(8);
    expect(a.variables).toEqual([
      { name: "date", declared: true, used: false },
      { name: "service", declared: true, used: false },
      { name: "impact", declared: true, used: false },
      { name: "owner", declared: true, used: false },
      { name: "dat", declared: false, used: true },
    ]);
    expect(a.qualityScore).toBeLessThan(40);
    const good = analyzeTemplate({ body: GOOD, variables: GOOD_VARS });
    expect(good.qualityScore - a.qualityScore).toBeGreaterThan(60);
  });

  it("turns down the sloppy template of the publication saga's test (below the gate of 60)", () => {
    const a = analyzeTemplate({ body: "todo {{x}}", variables: [{ name: "x" }, { name: "unused" }] });
    expect(a.qualityScore).toBeLessThan(60);
    expect(codes(a)).toContain("warning:unfinished-text");
  });

  it("reports unknown modules, duplicate declarations and code blocks without judging the code", () => {
    const body = ["# Runbook", "", "## Steps", "```js", "const f = () => {value};", "```", "{{> no-such-module}}", "", "Restart {{svc}} and watch the dashboards until errors stop."].join("\n");
    const a = analyzeTemplate({ body, variables: [{ name: "svc", description: "s" }, { name: "svc", description: "s" }], modules: { "no-such-module": null } });
    expect(codes(a)).toEqual(["error:unknown-module", "error:duplicate-variable", "warning:too-short"]);
    expect(a.problems[0]).toMatchObject({ message: 'the body includes "no-such-module", which is not a module', line: 7 });
  });

  it("without declarations lists placeholders without judging them", () => {
    const a = analyzeTemplate({ body: "# T\n\nHello {{name}}, welcome to the team. We are glad you are here and hope you enjoy your first week with us." });
    expect(a.variables).toEqual([{ name: "name", declared: false, used: true }]);
    expect(codes(a)).toEqual(["info:no-declarations"]);
  });

  it("counts a problem code at most three times towards the score", () => {
    const body = `# T\n\nSome words to make the template long enough to pass the length check easily, surely.\n${Array.from({ length: 10 }, () => "x".repeat(200)).join("\n")}`;
    const a = analyzeTemplate({ body, variables: [] });
    expect(a.problems.filter((p) => p.code === "long-line")).toHaveLength(4);
    expect(a.qualityScore).toBe(91);
  });

  it("is deterministic", () => {
    expect(analyzeTemplate({ body: BAD, variables: BAD_VARS })).toEqual(analyzeTemplate({ body: BAD, variables: BAD_VARS }));
  });
});

describe("the ai service's reading of the placeholder syntax", () => {
  it("scans variables and includes, and renders them", () => {
    expect(scanPlaceholders("{{a}} {{ b }} {{> mod}} {{a}}")).toEqual({ variables: ["a", "b"], modules: ["mod"] });
    expect(renderPlaceholders("Hi {{name}} {{>sig}} {{other}}", { name: "Ana", who: "x" }, { sig: "-- {{who}}" })).toBe("Hi Ana -- x {{other}}");
  });

  it("finds placeholders that are almost right", () => {
    const found = findMalformed("a {{{x}}} b {x} c {{ y } d z}} e {{1x}} f `{code}` ${tpl}");
    expect(found.map((m) => [m.kind, m.text, m.suggestion])).toEqual([
      ["triple-braces", "{{{x}}}", "{{x}}"],
      ["invalid-name", "{{1x}}", undefined],
      ["unclosed", "{{ y }", "{{y}}"],
      ["unopened", "z}}", "{{z}}"],
      ["single-braces", "{x}", "{{x}}"],
    ]);
  });

  it("measures edit distance", () => {
    expect(editDistance("dat", "date")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});
