"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";

/** Whether the signed-in person may replay, edit, discard and retry (the engineer role or admin). */
export function useCanOperate(): { canOperate: boolean; known: boolean; roles: string[] } {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const roles = me.data?.roles ?? [];
  return { canOperate: roles.some((r) => r === "engineer" || r === "admin"), known: me.isSuccess, roles };
}
