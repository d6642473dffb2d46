import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import type { AppContext } from "../app";
import { requestIdFrom, runInRequestScope } from "../request-context";
import { createTRPCContext } from "../trpc/context";
import { appRouter, createCaller } from "../trpc/root";
import { coerceParam, type JsonSchema, toJsonSchema } from "./json-schema";
import { REST_PREFIX } from "./meta";
import { type RestOperation, restOperations } from "./operations";

/** Largest JSON body the public REST API reads (uploads have their own route and limit). */
export const REST_MAX_BODY_BYTES = 1024 * 1024;

type Route = RestOperation & { properties: Record<string, JsonSchema> };

let routes: Route[] | undefined;

/** The input's top-level properties, with references to named schemas resolved (for coercing parameters). */
function inputProperties(op: RestOperation): Record<string, JsonSchema> {
  if (!op.input) return {};
  const schema = toJsonSchema(op.input, "input");
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const resolve = (p: JsonSchema): JsonSchema => (typeof p.$ref === "string" && p.$ref.startsWith("#/$defs/") ? (defs[p.$ref.slice(8)] ?? p) : p);
  return Object.fromEntries(Object.entries(props).map(([k, p]) => [k, resolve(p)]));
}

function allRoutes(): Route[] {
  routes ??= restOperations(appRouter).map((op) => ({ ...op, properties: inputProperties(op) }));
  return routes;
}

/** A REST error body: `{ error: { code, message, requestId, issues? } }`. */
export type RestErrorBody = { error: { code: string; message: string; requestId: string; issues?: { path: string; message: string }[] } };

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function json(status: number, body: unknown, headers: Headers): Response {
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers });
}

async function readJsonBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > REST_MAX_BODY_BYTES) throw new HttpRefusal(413, "PAYLOAD_TOO_LARGE", `the body is larger than ${REST_MAX_BODY_BYTES} bytes`);
  const buf = Buffer.from(await req.arrayBuffer());
  if (buf.length > REST_MAX_BODY_BYTES) throw new HttpRefusal(413, "PAYLOAD_TOO_LARGE", `the body is larger than ${REST_MAX_BODY_BYTES} bytes`);
  if (buf.length === 0) return undefined;
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new HttpRefusal(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  try {
    return JSON.parse(buf.toString("utf8")) as unknown;
  } catch (err) {
    throw new HttpRefusal(400, "BAD_REQUEST", `the body is not valid JSON: ${(err as Error).message}`);
  }
}

function inputFor(route: Route, params: Record<string, string>, url: URL, body: unknown): unknown {
  const fromPath = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, coerceParam([v], route.properties[k])]));
  if (route.rest.method === "GET" || route.rest.method === "DELETE") {
    const query: Record<string, unknown> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = coerceParam(url.searchParams.getAll(key), route.properties[key]);
    return route.input ? { ...query, ...fromPath } : undefined;
  }
  if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
    throw new HttpRefusal(400, "BAD_REQUEST", "the body must be a JSON object");
  }
  return route.input ? { ...(body as object | undefined), ...fromPath } : undefined;
}

function deprecationHeaders(route: Route, headers: Headers): void {
  const dep = route.rest.deprecated;
  if (!dep) return;
  // RFC 9745 (Deprecation: @<epoch seconds>) and RFC 8594 (Sunset: <HTTP date>).
  headers.set("deprecation", `@${Math.floor(Date.parse(dep.since) / 1000)}`);
  if (dep.sunset) headers.set("sunset", new Date(dep.sunset).toUTCString());
  if (dep.replacement) headers.set("link", `<${REST_PREFIX}${dep.replacement}>; rel="successor-version"`);
}

function refusalFrom(err: unknown): HttpRefusal {
  if (err instanceof HttpRefusal) return err;
  if (err instanceof TRPCError) {
    const status = getHTTPStatusCodeFromError(err);
    if (err.cause instanceof z.ZodError) {
      const r = new HttpRefusal(status, err.code, "the request does not match the operation's schema");
      Object.assign(r, { issues: err.cause.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })) });
      return r;
    }
    return new HttpRefusal(status, err.code, status >= 500 ? "internal error" : err.message);
  }
  return new HttpRefusal(500, "INTERNAL_SERVER_ERROR", "internal error");
}

/**
 * Serves the public REST API under /api/v1: finds the procedure that declared the method and path,
 * builds its input from path parameters, the query string (GET, DELETE) or the JSON body, and calls it
 * through the same gateway chain as tRPC (trace, auth, logging, idempotency). Answers plain JSON.
 */
export function handleRestRequest(req: Request, app: AppContext): Promise<Response> {
  const requestId = requestIdFrom(req.headers.get("x-request-id"));
  return runInRequestScope({ requestId }, async () => {
    const headers = new Headers({ "x-request-id": requestId, "cache-control": "no-store" });
    const url = new URL(req.url);
    const path = url.pathname.startsWith(REST_PREFIX) ? url.pathname.slice(REST_PREFIX.length) || "/" : url.pathname;
    try {
      const candidates = allRoutes().flatMap((r) => {
        const params = r.match(path);
        return params ? [{ route: r, params }] : [];
      });
      if (candidates.length === 0) throw new HttpRefusal(404, "NOT_FOUND", `no operation at ${path}`);
      const hit = candidates.find((c) => c.route.rest.method === req.method);
      if (!hit) {
        const allow = [...new Set(candidates.map((c) => c.route.rest.method))].join(", ");
        throw new HttpRefusal(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}; use ${allow}`, { allow });
      }
      const { route, params } = hit;
      const body = route.rest.method === "GET" || route.rest.method === "DELETE" ? undefined : await readJsonBody(req);
      const input = inputFor(route, params, url, body);
      const ctx = createTRPCContext({ app, headers: req.headers, requestId });
      const caller = createCaller(ctx) as unknown as Record<string, unknown>;
      const fn = route.procedure.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (i: unknown) => Promise<unknown>;
      const output = await fn(input);
      ctx.responseHeaders.forEach((v, k) => headers.set(k, v));
      deprecationHeaders(route, headers);
      return json(route.rest.successStatus ?? 200, output ?? null, headers);
    } catch (err) {
      const r = refusalFrom(err);
      if (r.status >= 500) app.log.error({ err, path, method: req.method }, "REST request failed");
      for (const [k, v] of Object.entries(r.headers)) headers.set(k, v);
      const issues = (r as { issues?: RestErrorBody["error"]["issues"] }).issues;
      const body: RestErrorBody = { error: { code: r.code, message: r.message, requestId, ...(issues ? { issues } : {}) } };
      return json(r.status, body, headers);
    }
  });
}
