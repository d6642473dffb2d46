/** The diff page of two versions of one contract of `service`. */
export function diffHref(service: string, kind: "openapi" | "event", subject: string, from: string, to: string, mode?: string): string {
  const q = new URLSearchParams({ kind, subject, from, to, ...(mode ? { mode } : {}) });
  return `/contracts/${encodeURIComponent(service)}/diff?${q.toString()}`;
}
