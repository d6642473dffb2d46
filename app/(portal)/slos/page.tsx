import type { Metadata } from "next";
import { SloOverview } from "@/components/observability/SloOverview";

export const metadata: Metadata = { title: "SLOs & alerts" };

export default function SlosPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>SLOs &amp; alerts</h1>
          <p>Availability and latency objectives per service over 30 days, their error budgets, and the multiwindow burn-rate alerts firing now.</p>
        </div>
      </div>
      <SloOverview />
    </>
  );
}
