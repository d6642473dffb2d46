import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import type { AppContext } from "@/server/app";
import { requestIdFrom, runInRequestScope } from "@/server/request-context";
import type { RestErrorBody } from "@/server/rest/handler";
import { createTRPCContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

function errorResponse(err: unknown, requestId: string, headers: Headers, app: AppContext): Response {
  let status = 500;
  let body: RestErrorBody = { error: { code: "INTERNAL_SERVER_ERROR", message: "internal error", requestId } };
  if (err instanceof TRPCError) {
    status = getHTTPStatusCodeFromError(err);
    const issues = err.cause instanceof z.ZodError ? err.cause.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })) : undefined;
    const message = issues ? "the request does not match the operation's schema" : status >= 500 ? "internal error" : err.message;
    body = { error: { code: err.code, message, requestId, ...(issues ? { issues } : {}) } };
  }
  if (status >= 500) app.log.error({ err }, "usage report download failed");
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * GET /api/v1/reports/{id}/csv: a ready usage report as a CSV attachment. The route calls the
 * `analytics.reports.csv` procedure, so authentication, logging and errors are the gateway's — errors
 * answer in the REST API's JSON shape.
 */
export function handleReportCsvRequest(req: Request, app: AppContext, id: string): Promise<Response> {
  const requestId = requestIdFrom(req.headers.get("x-request-id"));
  return runInRequestScope({ requestId }, async () => {
    const headers = new Headers({ "x-request-id": requestId, "cache-control": "no-store" });
    try {
      const ctx = createTRPCContext({ app, headers: req.headers, requestId });
      const file = await createCaller(ctx).analytics.reports.csv({ id });
      headers.set("content-type", "text/csv; charset=utf-8");
      headers.set("content-disposition", `attachment; filename="${file.fileName.replace(/[^\w.-]/g, "_")}"`);
      return new Response(file.csv, { status: 200, headers });
    } catch (err) {
      return errorResponse(err, requestId, headers, app);
    }
  });
}
