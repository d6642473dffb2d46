/**
 * What a procedure declares to be reachable as public REST as well as over tRPC. The REST handler
 * (server/rest/handler.ts) and the OpenAPI generator (server/rest/openapi.ts) read it; the procedure,
 * its zod input and output schemas and its middleware chain are the same for both transports.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type RestMeta = {
  method: HttpMethod;
  /** Under the REST prefix, with `{name}` path parameters taken from the input: `/templates/{id}`. */
  path: string;
  summary: string;
  description?: string;
  /** Grouping in the OpenAPI document; defaults to the service. */
  tags?: string[];
  /** Status of a successful answer (200 unless said: 201 for creations, 202 for accepted work). */
  successStatus?: 200 | 201 | 202 | 204;
  /** Deprecated operations answer with `Deprecation` (and `Sunset`, when set) headers. */
  deprecated?: { since: string; sunset?: string; replacement?: string };
  /** Example request input and response, shown in the contract browser. */
  examples?: { input?: unknown; output?: unknown };
};

export type ProcedureMeta = { rest?: RestMeta };

/** The prefix every public REST path lives under. */
export const REST_PREFIX = "/api/v1";
