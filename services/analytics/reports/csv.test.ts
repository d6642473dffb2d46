import { describe, expect, it } from "vitest";
import { csvField, REPORT_CSV_HEADER, reportCsv, toCsv } from "./csv";
import { REPORT_METRICS } from "./rows";

describe("CSV quoting (RFC 4180)", () => {
  it("leaves plain text and numbers as they are", () => {
    expect(csvField("Incident postmortem")).toBe("Incident postmortem");
    expect(csvField(42)).toBe("42");
    expect(csvField(0.000123)).toBe("0.000123");
    expect(csvField(null)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
  });

  it("quotes text with commas, quotes or line breaks, doubling the quotes", () => {
    expect(csvField("Review, blameless")).toBe('"Review, blameless"');
    expect(csvField('The "big" outage')).toBe('"The ""big"" outage"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r\nlf")).toBe('"cr\r\nlf"');
    expect(csvField(" padded ")).toBe('" padded "');
  });

  it("defuses text a spreadsheet would run as a formula, but not numbers", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@sum")).toBe("'@sum");
    expect(csvField(-3)).toBe("-3");
  });

  it("ends every line, the last too, with CRLF", () => {
    expect(toCsv(["a", "b"], [["x,y", 1], ["z", null]])).toBe('a,b\r\n"x,y",1\r\nz,\r\n');
  });
});

describe("a usage report as CSV", () => {
  it("has a header of snake_case columns and one line per row in metric order", () => {
    expect(REPORT_CSV_HEADER.slice(0, 6)).toEqual(["day", "scope", "subject_id", "subject_name", "templates_created", "templates_updated"]);
    expect(REPORT_CSV_HEADER).toContain("cost_usd");
    const metrics = Object.fromEntries(REPORT_METRICS.map((m) => [m, 0])) as Record<(typeof REPORT_METRICS)[number], number>;
    const csv = reportCsv([{ day: "2026-11-24", scope: "template", subjectId: "t-1", subjectName: 'Ops, "quick"', metrics: { ...metrics, projectsCreated: 2, costUsd: 0.25 } }]);
    const [header, line, end] = csv.split("\r\n");
    expect(header).toBe(REPORT_CSV_HEADER.join(","));
    expect(end).toBe("");
    const cells = line!.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ""));
    expect(cells.slice(0, 4)).toEqual(["2026-11-24", "template", "t-1", '"Ops, ""quick"""']);
    expect(cells[4 + REPORT_METRICS.indexOf("projectsCreated")]).toBe("2");
    expect(cells[4 + REPORT_METRICS.indexOf("costUsd")]).toBe("0.25");
  });
});
