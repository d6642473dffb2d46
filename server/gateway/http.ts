import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { AppContext } from "../app";
import { requestIdFrom, runInRequestScope } from "../request-context";
import { createTRPCContext, type TRPCContext } from "../trpc/context";
import { appRouter } from "../trpc/root";

export const TRPC_ENDPOINT = "/api/trpc";

/** Serves `/api/trpc/*`: assigns the request id, builds the context, and returns it in `x-request-id`. */
export function handleTrpcRequest(req: Request, app: AppContext): Promise<Response> {
  const requestId = requestIdFrom(req.headers.get("x-request-id"));
  let context: TRPCContext | undefined;
  return runInRequestScope({ requestId }, async () => {
    const res = await fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req,
      router: appRouter,
      createContext: () => (context = createTRPCContext({ app, headers: req.headers, requestId })),
      responseMeta() {
        const headers = new Headers(context?.responseHeaders);
        headers.set("x-request-id", requestId);
        headers.set("cache-control", "no-store");
        return { headers };
      },
    });
    return res;
  });
}
