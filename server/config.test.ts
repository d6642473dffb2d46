import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("configuration", () => {
  it("a fresh clone needs nothing set: development defaults, dev login on", () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe("127.0.0.1");
    expect(c.devLoginEnabled).toBe(true);
    expect(c.queue).toBeUndefined();
    expect(c.clerk).toBeUndefined();
  });

  it("picks Redis when REDIS_URL is set, else BullMQ's PostgreSQL backend on DATABASE_URL", () => {
    const redis = parseConfig({ DATABASE_URL: "postgresql://u@h:5432/db", REDIS_URL: "redis://h:6379", QUEUE_PREFIX: "p1" });
    expect(redis.queue).toEqual({ kind: "redis", url: "redis://h:6379", prefix: "p1" });
    const pgq = parseConfig({ DATABASE_URL: "postgresql://u@h:5432/db", QUEUE_PREFIX: "p1" });
    expect(pgq.queue).toEqual({ kind: "postgres", connectionString: "postgresql://u@h:5432/db", schema: "bullmq_p1" });
    const forced = parseConfig({ DATABASE_URL: "postgresql://u@h:5432/db", REDIS_URL: "redis://h:6379", QUEUE_BACKEND: "postgres" });
    expect(forced.queue?.kind).toBe("postgres");
  });

  it("refuses the development login in production unless explicitly enabled with a secret", () => {
    expect(parseConfig({ NODE_ENV: "production" }).devLoginEnabled).toBe(false);
    expect(() => parseConfig({ NODE_ENV: "production", DEV_LOGIN: "true" })).toThrow(/SESSION_SECRET/);
    const on = parseConfig({ NODE_ENV: "production", DEV_LOGIN: "true", SESSION_SECRET: "0123456789abcdef0123" });
    expect(on.devLoginEnabled).toBe(true);
    expect(on.sessionSecret).toBe("0123456789abcdef0123");
  });

  it("wires Clerk only with all three keys, and says which is missing otherwise", () => {
    const all = parseConfig({
      CLERK_PUBLISHABLE_KEY: "pk_live_x",
      CLERK_SECRET_KEY: "sk_live_x",
      CLERK_JWT_KEY: "-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----",
      CLERK_AUTHORIZED_PARTIES: "http://127.0.0.1:3000, https://portal.example",
    });
    expect(all.clerk?.jwtKey).toContain("\nabc\n");
    expect(all.clerk?.authorizedParties).toEqual(["http://127.0.0.1:3000", "https://portal.example"]);
    expect(() => parseConfig({ CLERK_PUBLISHABLE_KEY: "pk_live_x" })).toThrow(ConfigError);
  });

  it("names every invalid variable in one error", () => {
    try {
      parseConfig({ PORT: "99999", DATABASE_URL: "not a url", LOG_LEVEL: "loud" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/DATABASE_URL/);
      expect(msg).toMatch(/LOG_LEVEL/);
    }
  });

  it("treats empty variables as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", REDIS_URL: "" }).queue).toBeUndefined();
  });
});
