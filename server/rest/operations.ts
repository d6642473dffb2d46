import type { AnyRouter } from "@trpc/server";
import { z } from "zod";
import type { RestMeta } from "./meta";

/** One procedure reachable as REST: where it lives, what it reads and returns. */
export type RestOperation = {
  /** The tRPC path, e.g. `templates.list`; also the OpenAPI operationId. */
  procedure: string;
  /** The service that owns it: the first segment of the procedure path. */
  service: string;
  kind: "query" | "mutation";
  rest: RestMeta;
  input: z.ZodType | undefined;
  output: z.ZodType | undefined;
  /** Path parameter names, in order. */
  params: string[];
  match(path: string): Record<string, string> | undefined;
};

type ProcedureDef = { type: string; meta?: { rest?: RestMeta }; inputs: unknown[]; output?: unknown };

function isZod(x: unknown): x is z.ZodType {
  return x instanceof z.ZodType;
}

function matcher(path: string): { params: string[]; match: RestOperation["match"] } {
  const params: string[] = [];
  const source = path
    .split("/")
    .map((seg) => {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      params.push(m[1]!);
      return "([^/]+)";
    })
    .join("/");
  const re = new RegExp(`^${source}/?$`);
  return {
    params,
    match(p) {
      const m = re.exec(p);
      if (!m) return undefined;
      try {
        return Object.fromEntries(params.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
      } catch {
        return undefined; // malformed percent-encoding matches nothing
      }
    },
  };
}

/**
 * Every procedure of `router` that declares `meta.rest`, static paths before parameterised ones (so
 * `/templates/search` wins over `/templates/{id}`). Throws on a duplicate method + path, or on a REST
 * procedure whose input is not a single zod object (path and query parameters are its properties).
 */
export function restOperations(router: AnyRouter): RestOperation[] {
  const procedures = (router._def as { procedures: Record<string, { _def: ProcedureDef }> }).procedures;
  const ops: RestOperation[] = [];
  const seen = new Set<string>();
  for (const [procedure, { _def }] of Object.entries(procedures)) {
    const rest = _def.meta?.rest;
    if (!rest) continue;
    if (!rest.path.startsWith("/")) throw new Error(`${procedure}: REST path "${rest.path}" must start with "/"`);
    const key = `${rest.method} ${rest.path.replace(/\{[^}]+\}/g, "{}")}`;
    if (seen.has(key)) throw new Error(`${procedure}: ${rest.method} ${rest.path} is declared twice`);
    seen.add(key);
    if (_def.inputs.length > 1 || (_def.inputs.length === 1 && !(_def.inputs[0] instanceof z.ZodObject))) {
      throw new Error(`${procedure}: a REST procedure takes one zod object as input`);
    }
    const input = _def.inputs[0] as z.ZodObject | undefined;
    const { params, match } = matcher(rest.path);
    for (const p of params) {
      if (!input || !(p in input.shape)) throw new Error(`${procedure}: path parameter {${p}} is not a property of its input`);
    }
    ops.push({
      procedure,
      service: procedure.split(".")[0]!,
      kind: _def.type === "query" ? "query" : "mutation",
      rest,
      input,
      output: isZod(_def.output) ? _def.output : undefined,
      params,
      match,
    });
  }
  const rank = (op: RestOperation) => op.rest.path.split("/").map((s) => (s.startsWith("{") ? "1" : "0")).join("");
  return ops.sort((a, b) => rank(a).localeCompare(rank(b)) || a.rest.path.localeCompare(b.rest.path));
}
