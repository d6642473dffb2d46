import { describe, expect, it } from "vitest";
import { hasRole, type Principal } from "./principal";
import { safeNextPath } from "./dev-login";

const p = (roles: string[]): Principal => ({ userId: "u", email: null, name: "U", roles, teams: [], source: "dev" });

describe("roles", () => {
  it("admin outranks engineer outranks viewer", () => {
    expect(hasRole(p(["admin"]), "engineer")).toBe(true);
    expect(hasRole(p(["engineer"]), "engineer")).toBe(true);
    expect(hasRole(p(["engineer"]), "admin")).toBe(false);
    expect(hasRole(p(["viewer"]), "engineer")).toBe(false);
    expect(hasRole(p([]), "viewer")).toBe(false);
  });
});

describe("login redirects", () => {
  it("only follow same-site paths", () => {
    expect(safeNextPath("/catalog/ai")).toBe("/catalog/ai");
    expect(safeNextPath("//evil.example/x")).toBe("/catalog");
    expect(safeNextPath("https://evil.example")).toBe("/catalog");
    expect(safeNextPath("/\\evil.example")).toBe("/catalog");
    expect(safeNextPath(undefined)).toBe("/catalog");
  });
});
