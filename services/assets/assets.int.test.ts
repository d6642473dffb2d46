import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevSessionToken, DEV_SESSION_COOKIE } from "@/server/auth/dev-session";
import { type MessagingRuntime, startMessaging } from "@/server/messaging/runtime";
import { handleRestRequest } from "@/server/rest/handler";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { seedDemoIdentities } from "@/services/auth/seed";
import { createTestApp, eventually, type TestApp } from "@/tests/helpers/test-app";
import { messagingRegistry } from "@/workers/consumers";
import { handleAssetDownload, handleAssetUpload } from "./web";

const LIMIT = 64 * 1024;
let app: TestApp;
let runtime: MessagingRuntime;
let storageDir: string;
const cookies: Record<string, string> = {};
type Who = "priya" | "jonas" | null;

function headersFor(who: Who, extra: Record<string, string> = {}): Headers {
  const h = new Headers(extra);
  if (who) h.set("cookie", cookies[who]!);
  return h;
}

async function answer(res: Response) {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text && res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

/** POST /api/v1/assets through the dedicated route. */
async function upload(body: Buffer | string | ReadableStream<Uint8Array> | null, headers: Record<string, string>, who: Who = "priya") {
  const init = { method: "POST", headers: headersFor(who, headers), body: Buffer.isBuffer(body) ? new Uint8Array(body) : body, duplex: "half" } as RequestInit;
  return answer(await handleAssetUpload(new Request("http://127.0.0.1/api/v1/assets", init), app));
}

function multipart(fileName: string, type: string, content: string | Buffer, boundary = "sy-test-boundary"): { body: Buffer; headers: Record<string, string> } {
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nfirst upload\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function rest(method: string, p: string, body?: unknown, who: Who = "priya") {
  const headers = headersFor(who, body === undefined ? {} : { "content-type": "application/json" });
  return answer(await handleRestRequest(new Request(`http://127.0.0.1/api/v1${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), app));
}

const trpc = (who: "priya" | "jonas" = "priya") => createCaller(createTRPCContext({ app, headers: headersFor(who), requestId: randomUUID() }));
const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(storageDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

const RUNBOOK = [
  "# Database failover runbook",
  "",
  "When the primary PostgreSQL node stops answering, promote the streaming replica with pg_ctl promote.",
  "Then repoint PgBouncer at the promoted node and watch replication lag on the dashboard.",
  "Page the database on-call engineer before touching anything in production.",
].join("\n");

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(os.tmpdir(), "sy-assets-"));
  app = await createTestApp({ env: { OUTBOX_POLL_MS: "100", ASSET_MAX_BYTES: String(LIMIT), ASSET_STORAGE_DIR: storageDir } });
  await seedDemoIdentities(app.db.auth);
  const users = await app.db.auth.user.findMany();
  for (const [who, email] of [["priya", "priya.raman@templator.dev"], ["jonas", "jonas.meyer@templator.dev"]] as const) {
    cookies[who] = `${DEV_SESSION_COOKIE}=${createDevSessionToken(users.find((u) => u.email === email)!.id, app.config.sessionSecret)}`;
  }
  runtime = await startMessaging(app, messagingRegistry, { sweep: false });
});

afterAll(async () => {
  await runtime?.stop();
  await app?.cleanup();
  await rm(storageDir, { recursive: true, force: true });
});

describe("uploading and reading assets", () => {
  it("a multipart upload is stored, and reads the same over REST and tRPC", async () => {
    const form = multipart("runbook.md", "text/markdown", RUNBOOK);
    const created = await upload(form.body, form.headers);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ fileName: "runbook.md", contentType: "text/markdown", sizeBytes: Buffer.byteLength(RUNBOOK), contentUrl: `/api/v1/assets/${id}/content` });
    expect(created.headers.get("location")).toBe(`/api/v1/assets/${id}`);

    const viaRest = await rest("GET", `/assets/${id}`);
    expect(viaRest.body).toEqual(json(await trpc().assets.get({ id })));
    expect(viaRest.body).toEqual(created.body);
    const text = await rest("GET", `/assets/${id}/text`);
    expect(text.body).toEqual({ assetId: id, fileName: "runbook.md", contentType: "text/markdown", text: RUNBOOK, truncated: false });
    expect(text.body).toEqual(json(await trpc("jonas").assets.getText({ id })));
    const list = await rest("GET", "/assets?q=runbook&limit=5");
    expect(list.body).toEqual(json(await trpc().assets.list({ q: "runbook", limit: 5 })));
    expect((list.body.items as { id: string }[]).map((a) => a.id)).toEqual([id]);
  });

  it("takes a raw body with a file name header, and the JSON form through the same path", async () => {
    const raw = await upload(Buffer.from("a,b\n1,2\n"), { "content-type": "text/csv", "x-file-name": encodeURIComponent("données.csv") });
    expect(raw.status).toBe(201);
    expect(raw.body).toMatchObject({ fileName: "données.csv", contentType: "text/csv", sizeBytes: 8 });

    const viaJson = await upload(JSON.stringify({ fileName: "notes.txt", contentType: "text/plain", contentBase64: Buffer.from("plain notes").toString("base64") }), { "content-type": "application/json" });
    expect(viaJson.status).toBe(201);
    expect(viaJson.body).toMatchObject({ fileName: "notes.txt", contentType: "text/plain", sizeBytes: 11 });
    const viaTrpc = await trpc().assets.upload({ fileName: "notes.txt", contentType: "text/plain", contentBase64: Buffer.from("plain notes").toString("base64") });
    // Same bytes, same stored object.
    expect(viaTrpc.sha256).toBe(viaJson.body.sha256);
    // A raw JSON file is a file when it is named.
    const jsonFile = await upload('{"a": 1}', { "content-type": "application/json", "x-file-name": "data.json" });
    expect(jsonFile.body).toMatchObject({ fileName: "data.json", contentType: "application/json" });

    // The dedicated route (which Next prefers to the REST catch-all) serves GET and the other methods too.
    const route = await import("@/app/api/v1/assets/route");
    expect([typeof route.GET, typeof route.POST, typeof route.DELETE]).toEqual(["function", "function", "function"]);
    const list = await rest("GET", "/assets?limit=2");
    expect((list.body.items as unknown[]).length).toBe(2);
    const wrong = await rest("DELETE", "/assets");
    expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "GET, POST"]);
  });

  it("downloads the bytes with their type, length, name and ETag", async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
    const form = multipart("Diagram ü.png", "image/png", png);
    const id = (await upload(form.body, form.headers)).body.id as string;
    const get = (headers: Record<string, string> = {}, q = "") =>
      handleAssetDownload(new Request(`http://127.0.0.1/api/v1/assets/${id}/content${q}`, { headers: headersFor("jonas", headers) }), app, id);
    const res = await get();
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-length")).toBe(String(png.length));
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="Diagram _.png"; filename*=UTF-8''Diagram%20%C3%BC.png`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await get({}, "?disposition=inline")).headers.get("content-disposition")).toMatch(/^inline;/);
    const etag = res.headers.get("etag")!;
    expect((await get({ "if-none-match": etag })).status).toBe(304);
    const text = await rest("GET", `/assets/${id}/text`);
    expect(text.body).toMatchObject({ contentType: "image/png", text: null });

    const missing = randomUUID();
    const notFound = await handleAssetDownload(new Request(`http://127.0.0.1/api/v1/assets/${missing}/content`, { headers: headersFor("priya") }), app, missing);
    expect(notFound.status).toBe(404);
    const anonymous = await handleAssetDownload(new Request(`http://127.0.0.1/api/v1/assets/${id}/content`), app, id);
    expect(anonymous.status).toBe(401);
  });

  it("answers which assets exist, in the order asked", async () => {
    const form = multipart("a.txt", "text/plain", "exists");
    const id = (await upload(form.body, form.headers)).body.id as string;
    const missing = randomUUID();
    const viaRest = await rest("POST", "/assets/check", { ids: [missing, id, id] });
    expect(viaRest.body).toEqual({ found: [id], missing: [missing] });
    expect(viaRest.body).toEqual(await trpc().assets.check({ ids: [missing, id, id] }));
    expect((await rest("GET", `/assets/${missing}`)).status).toBe(404);
  });
});

describe("upload limits", () => {
  it("refuses a body over the limit while streaming it: 413, reading stops, nothing is left on disk", async () => {
    const before = await storedFiles();
    for (const kind of ["multipart", "raw"] as const) {
      let pulled = 0;
      const head = Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\nContent-Type: text/plain\r\n\r\n`);
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          if (pulled === 1 && kind === "multipart") controller.enqueue(new Uint8Array(head));
          // Endless: 16 KiB of text per pull, no Content-Length.
          else controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
        },
      });
      const res = await upload(stream, kind === "multipart" ? { "content-type": "multipart/form-data; boundary=b" } : { "content-type": "text/plain", "x-file-name": "huge.txt" });
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({ code: "PAYLOAD_TOO_LARGE", message: `the file is larger than ${LIMIT} bytes`, requestId: expect.any(String) });
      // 64 KiB in 16 KiB pulls: the reader stopped right after the limit, not at the end of the stream.
      expect(pulled).toBeLessThan(10);
    }
    expect(await storedFiles()).toEqual(before);
    // A declared Content-Length over the limit is refused before reading.
    const declared = await upload("x", { "content-type": "text/plain", "x-file-name": "big.txt", "content-length": String(LIMIT + 1) });
    expect(declared.status).toBe(413);
    // Exactly the limit is fine.
    expect((await upload(Buffer.alloc(LIMIT, 0x62), { "content-type": "text/plain", "x-file-name": "exact.txt" })).status).toBe(201);
  });

  it("refuses types not allowed, and bytes that contradict their type (415), keeping nothing", async () => {
    const before = await storedFiles();
    const gif = multipart("anim.gif", "image/gif", "GIF89a....");
    const refused = await upload(gif.body, gif.headers);
    expect(refused.status).toBe(415);
    expect(refused.body.error!.message).toMatch(/^image\/gif is not accepted; allowed: text\/plain, /);
    expect((await upload(Buffer.from("<html>"), { "content-type": "text/html", "x-file-name": "x.html" })).status).toBe(415);
    const fakePng = multipart("fake.png", "image/png", "this is text, not a PNG");
    expect((await upload(fakePng.body, fakePng.headers)).body.error).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", message: "the content is not image/png" });
    const binaryText = await upload(Buffer.from([0x68, 0x69, 0x00, 0x01]), { "content-type": "text/plain", "x-file-name": "bin.txt" });
    expect(binaryText.status).toBe(415);
    const badJson = await trpc()
      .assets.upload({ fileName: "a.gif", contentType: "image/gif", contentBase64: "R0lGODlh" })
      .catch((e: { code: string }) => e.code);
    expect(badJson).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(await storedFiles()).toEqual(before);
  });

  it("refuses uploads without a file (400), anonymous ones (401) and viewers' (403)", async () => {
    const noFile = Buffer.from(`--b\r\nContent-Disposition: form-data; name="comment"\r\n\r\nno file here\r\n--b--\r\n`);
    const r1 = await upload(noFile, { "content-type": "multipart/form-data; boundary=b" });
    expect([r1.status, r1.body.error!.message]).toEqual([400, "the form has no file field"]);
    const r2 = await upload(Buffer.from("text"), { "content-type": "text/plain" });
    expect([r2.status, r2.body.error!.message]).toEqual([400, "a raw upload needs its file name in X-File-Name or Content-Disposition"]);
    const r3 = await upload(null, { "content-type": "text/plain", "x-file-name": "empty.txt" });
    expect([r3.status, r3.body.error!.message]).toEqual([400, "the file is empty"]);
    const truncated = Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\n\r\nno closing boundary`);
    expect((await upload(truncated, { "content-type": "multipart/form-data; boundary=b" })).status).toBe(400);
    expect((await upload(Buffer.from("x"), { "content-type": "multipart/form-data" })).status).toBe(400);
    const form = multipart("a.txt", "text/plain", "hello");
    expect((await upload(form.body, form.headers, null)).status).toBe(401);
    expect((await upload(form.body, form.headers, "jonas")).status).toBe(403);
  });
});

describe("AssetUploaded end to end", () => {
  it("ai indexes the asset's text and a retrieval query finds it with a citation; analytics records the event", async () => {
    const ledger = `${RUNBOOK}\n\n## Ledger cluster\n\nThe ledger cluster fails over with a Patroni switchover, never with pg_ctl promote.`;
    const form = multipart("failover-runbook.md", "text/markdown", ledger);
    const id = (await upload(form.body, form.headers, "priya")).body.id as string;
    const found = await eventually(async () => {
      const r = await rest("POST", "/ai/rag/query", { question: "How does the ledger cluster fail over?" });
      const c = (r.body.citations as { sourceId: string }[] | undefined)?.find((x) => x.sourceId === id);
      return c ? r.body : undefined;
    }, 15_000, "the asset in retrieval");
    const citations = found.citations as { n: number; sourceType: string; sourceId: string; title: string; passage: string; score: number }[];
    const mine = citations.find((c) => c.sourceId === id)!;
    expect(mine).toMatchObject({ sourceType: "asset", title: "failover-runbook.md" });
    expect(mine.passage).toContain("Patroni switchover");
    expect(mine.n).toBe(1);
    expect(found.answer).toMatch(new RegExp(`^The ledger cluster fails over with a Patroni switchover, never with pg_ctl promote\\. \\[${mine.n}\\]`));

    const feed = await eventually(() => app.db.analytics.eventFeedEntry.findFirst({ where: { aggregateId: id } }), 10_000, "the feed entry");
    expect(feed).toMatchObject({ eventType: "templator.events.v1.assets.AssetUploaded", service: "assets" });
    expect(feed.payload).toMatchObject({ assetId: id, fileName: "failover-runbook.md", contentType: "text/markdown", uploadedBy: expect.any(String) });
  });
});
