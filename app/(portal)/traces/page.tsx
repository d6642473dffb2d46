import type { Metadata } from "next";
import { Suspense } from "react";
import { TraceSearch } from "@/components/traces/TraceSearch";

export const metadata: Metadata = { title: "Traces" };

export default function TracesPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Traces</h1>
          <p>Find traces by service, operation, attribute, duration and errors; open one to see its waterfall and flow graph.</p>
        </div>
      </div>
      <Suspense fallback={<div className="state">Loading traces…</div>}>
        <TraceSearch />
      </Suspense>
    </>
  );
}
