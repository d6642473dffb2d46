import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { RedServiceList } from "@/components/observability/RedServiceList";

export const metadata: Metadata = { title: "RED metrics" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RedPage({ searchParams }: Props) {
  const params = await searchParams;
  // `/red?service=x&...` is the same dashboard as `/red/x?...`.
  if (typeof params.service === "string" && params.service) {
    const rest = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (k !== "service" && typeof v === "string") rest.set(k, v);
    const q = rest.toString();
    redirect(`/red/${encodeURIComponent(params.service)}${q ? `?${q}` : ""}`);
  }
  return (
    <>
      <div className="page-head">
        <div>
          <h1>RED metrics</h1>
          <p>Rate, errors and duration of every service that sent traces, from the per-minute rollups.</p>
        </div>
      </div>
      <Suspense fallback={<div className="state">Loading services…</div>}>
        <RedServiceList />
      </Suspense>
    </>
  );
}
