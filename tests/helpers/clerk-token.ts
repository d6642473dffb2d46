import { createSign, generateKeyPairSync, randomUUID } from "node:crypto";

/**
 * Stands in for Clerk (a third-party identity provider): an RSA key pair and RS256 session tokens shaped
 * like Clerk's, so the gateway's networkless verification runs for real against them.
 */
export function fakeClerkIssuer(domain = "clerk.switchyard.test") {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const jwtKey = publicKey.export({ type: "spki", format: "pem" }).toString();
  const publishableKey = `pk_live_${Buffer.from(`${domain}$`).toString("base64")}`;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return {
    jwtKey,
    publishableKey,
    secretKey: "sk_live_switchyard_test_only",
    issuer: `https://${domain}`,
    /** A session token for `sub`, valid for `ttl` seconds from `now`; `extra` adds or overrides claims. */
    token(sub: string, extra: Record<string, unknown> = {}, ttl = 60, now = Math.floor(Date.now() / 1000)): string {
      const header = b64({ alg: "RS256", typ: "JWT", kid: "ins_test" });
      const payload = b64({ sub, iss: `https://${domain}`, sid: `sess_${randomUUID()}`, iat: now, nbf: now - 5, exp: now + ttl, ...extra });
      const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(privateKey).toString("base64url");
      return `${header}.${payload}.${signature}`;
    },
  };
}
