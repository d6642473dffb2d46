"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { tracedFetch } from "@/components/telemetry/browser-tracing";
import type { AppRouter } from "@/server/trpc/root";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** A random key; crypto.randomUUID exists only in secure contexts (not on plain http to a LAN address). */
function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Authorization and validation failures will not change by retrying.
        retry: (count, err) => {
          const code = (err as { data?: { code?: string } }).data?.code;
          return count < 2 && !["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(code ?? "");
        },
      },
    },
  });
}

/**
 * TanStack Query + tRPC for client components; requests go through the gateway at /api/trpc, each one
 * a browser span whose trace the server's spans join (components/telemetry/browser-tracing.ts).
 */
export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "mutation",
          // Every mutation carries its own Idempotency-Key (the gateway requires one on most), so a
          // request the network repeats is answered from the first result instead of running twice.
          true: httpLink({
            url: "/api/trpc",
            transformer: superjson,
            fetch: tracedFetch,
            headers: ({ op }) => ({ "idempotency-key": (op.context.idempotencyKey as string | undefined) ?? newKey() }),
          }),
          false: httpBatchLink({ url: "/api/trpc", transformer: superjson, fetch: tracedFetch }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
