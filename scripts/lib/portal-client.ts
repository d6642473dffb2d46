import { randomUUID } from "node:crypto";

/** One answer from the portal: status, parsed JSON body (or text), headers. */
export type Answer<T = unknown> = { status: number; body: T; headers: Headers };

export class PortalError extends Error {
  constructor(
    readonly answer: Answer,
    what: string,
  ) {
    const reason = (answer.body as { error?: { message?: string } } | undefined)?.error?.message ?? JSON.stringify(answer.body).slice(0, 300);
    super(`${what}: HTTP ${answer.status} — ${reason}`);
  }
}

/**
 * A client of the portal's gateway over real HTTP, signed in as a seeded user through the development
 * login (the demo traffic and the synthetic checks go through exactly what a browser or CI would).
 */
export class PortalClient {
  private constructor(
    readonly base: string,
    readonly user: { id: string; email: string; name: string },
    private readonly cookie: string,
  ) {}

  /** Signs in as the seeded user with this e-mail. */
  static async signIn(base: string, email: string): Promise<PortalClient> {
    const res = await fetch(`${base}/api/trpc/auth.devUsers`);
    if (!res.ok) throw new Error(`cannot list the development users at ${base}: HTTP ${res.status}`);
    const users = ((await res.json()) as { result: { data: { json: { id: string; email: string; name: string }[] } } }).result.data.json;
    const user = users.find((u) => u.email === email);
    if (!user) throw new Error(`no seeded user ${email}`);
    const login = await fetch(`${base}/api/auth/dev-login`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ userId: user.id }),
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0];
    if (!login.ok || !cookie) throw new Error(`development login as ${email} failed: HTTP ${login.status}`);
    return new PortalClient(base, user, cookie);
  }

  /** Calls the public REST API (`/api/v1` + path). Mutations carry a fresh Idempotency-Key unless given one. */
  async rest<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; raw?: BodyInit; expect?: number[] } = {},
  ): Promise<Answer<T>> {
    const headers = new Headers({ cookie: this.cookie, ...opts.headers });
    if (method !== "GET" && !headers.has("idempotency-key")) headers.set("idempotency-key", randomUUID());
    if (opts.body !== undefined) headers.set("content-type", "application/json");
    const res = await fetch(`${this.base}/api/v1${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (CSV, files): keep the text
    }
    const answer = { status: res.status, body: body as T, headers: res.headers };
    if (opts.expect && !opts.expect.includes(res.status)) throw new PortalError(answer, `${method} ${path} expected ${opts.expect.join("/")}`);
    return answer;
  }

  /** Calls a tRPC mutation (portal-only procedures such as fault injection), with an Idempotency-Key. */
  async mutate<T>(procedure: string, input: unknown): Promise<T> {
    const res = await fetch(`${this.base}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { cookie: this.cookie, "content-type": "application/json", "idempotency-key": randomUUID() },
      body: JSON.stringify({ json: input }),
    });
    const body = (await res.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
    if (!res.ok || !body.result) throw new Error(`${procedure}: HTTP ${res.status} — ${body.error?.json.message ?? "no result"}`);
    return body.result.data.json;
  }

  /** Calls a tRPC query (for portal-only procedures such as saga timelines). */
  async query<T>(procedure: string, input?: unknown): Promise<T> {
    const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    const res = await fetch(`${this.base}/api/trpc/${procedure}${q}`, { headers: { cookie: this.cookie } });
    const body = (await res.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
    if (!res.ok || !body.result) throw new Error(`${procedure}: HTTP ${res.status} — ${body.error?.json.message ?? "no result"}`);
    return body.result.data.json;
  }
}

/** Polls until `probe` returns something truthy, or fails after `ms` naming what it waited for. */
export async function waitUntil<T>(what: string, ms: number, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
