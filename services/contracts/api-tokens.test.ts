import { describe, expect, it } from "vitest";
import { hasRole, hasScope } from "@/server/auth/principal";
import { findApiToken, tokenPrincipal } from "@/server/auth/resolve";
import { parseConfig } from "@/server/config";

/** The scoped API tokens CI uses to publish contracts (API_TOKENS, server/auth/resolve.ts). */
describe("scoped API tokens", () => {
  it("are read from API_TOKENS as name:scope1+scope2:secret, scopes with colons included", () => {
    const c = parseConfig({ API_TOKENS: "ci:contracts:publish+contracts:read:0123456789abcdef01, reader:contracts:read:fedcba9876543210fe" });
    expect(c.apiTokens).toEqual([
      { name: "ci", scopes: ["contracts:publish", "contracts:read"], secret: "0123456789abcdef01" },
      { name: "reader", scopes: ["contracts:read"], secret: "fedcba9876543210fe" },
    ]);
    expect(parseConfig({}).apiTokens).toEqual([]);
  });

  it.each([
    ["no scopes", "ci:0123456789abcdef01", /is not name:scope1\+scope2:secret/],
    ["a short secret", "ci:contracts:publish:short", /secret shorter than 16 characters/],
    ["a repeated name", "ci:a:0123456789abcdef01,ci:b:0123456789abcdef02", /repeats a token name/],
    ["a repeated secret", "ci:a:0123456789abcdef01,cd:b:0123456789abcdef01", /repeats a secret/],
    ["an uppercase scope", "ci:Contracts:0123456789abcdef01", /lowercase scopes/],
  ])("refuses %s, without echoing the secret", (_what, value, message) => {
    let error: Error | undefined;
    try {
      parseConfig({ API_TOKENS: value });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).toMatch(/API_TOKENS/);
    expect(error?.message).not.toMatch(/0123456789abcdef0/);
  });

  it("a matching Bearer token becomes a principal with its scopes and no roles; anything else is nobody", () => {
    const { apiTokens } = parseConfig({ API_TOKENS: "ci:contracts:publish:0123456789abcdef01" });
    const found = findApiToken(apiTokens, new Headers({ authorization: "Bearer 0123456789abcdef01" }));
    expect(found?.name).toBe("ci");
    const p = tokenPrincipal(found!);
    expect(p).toEqual({ userId: "token:ci", email: null, name: "ci", roles: [], teams: [], source: "token", scopes: ["contracts:publish"] });
    expect(hasScope(p, "contracts:publish")).toBe(true);
    expect(hasScope(p, "contracts:admin")).toBe(false);
    expect(hasRole(p, "viewer")).toBe(false);
    expect(findApiToken(apiTokens, new Headers({ authorization: "Bearer 0123456789abcdef02" }))).toBeUndefined();
    expect(findApiToken(apiTokens, new Headers({ authorization: "Basic 0123456789abcdef01" }))).toBeUndefined();
    expect(findApiToken(apiTokens, new Headers())).toBeUndefined();
  });
});
