import type { Metadata } from "next";
import { Suspense } from "react";
import { ServiceMapView } from "@/components/observability/ServiceMap";

export const metadata: Metadata = { title: "Service map" };

export default function ServiceMapPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Service map</h1>
          <p>Who calls whom, from the traces: services, databases and brokers with their rate, errors and latency over the time range.</p>
        </div>
      </div>
      <Suspense fallback={<div className="state">Loading the service map…</div>}>
        <ServiceMapView />
      </Suspense>
    </>
  );
}
