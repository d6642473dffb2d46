import type { Metadata } from "next";
import { Suspense } from "react";
import { TracePage } from "@/components/traces/TracePage";

type Params = { params: Promise<{ traceId: string }> };

export const metadata: Metadata = { title: "Trace" };

export default async function TraceRoute({ params }: Params) {
  const { traceId } = await params;
  return (
    <Suspense fallback={<div className="state">Loading this trace…</div>}>
      <TracePage key={traceId.toLowerCase()} traceId={traceId.toLowerCase()} />
    </Suspense>
  );
}
