import { describe, expect, it } from "vitest";
import { createDevSessionToken, readCookie, verifyDevSessionToken } from "./dev-session";

const secret = "test-secret-0123456789";

describe("development session tokens", () => {
  it("round-trips the user id while valid", () => {
    const token = createDevSessionToken("user-1", secret, 60);
    expect(verifyDevSessionToken(token, secret)).toBe("user-1");
  });

  it("rejects expired, tampered and foreign tokens", () => {
    const now = Date.now();
    const token = createDevSessionToken("user-1", secret, 60, now);
    expect(verifyDevSessionToken(token, secret, now + 61_000)).toBeUndefined();
    const [data, sig] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "admin", exp: 9e9 })).toString("base64url");
    expect(verifyDevSessionToken(`${forged}.${sig}`, secret)).toBeUndefined();
    expect(verifyDevSessionToken(`${data}.${sig}x`, secret)).toBeUndefined();
    expect(verifyDevSessionToken(token, "another-secret-0123")).toBeUndefined();
    expect(verifyDevSessionToken("garbage", secret)).toBeUndefined();
  });

  it("reads one cookie out of a Cookie header", () => {
    expect(readCookie("a=1; sy_session=abc.def; b=2", "sy_session")).toBe("abc.def");
    expect(readCookie("a=1", "sy_session")).toBeUndefined();
    expect(readCookie(null, "sy_session")).toBeUndefined();
  });
});
