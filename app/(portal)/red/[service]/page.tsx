import type { Metadata } from "next";
import { Suspense } from "react";
import { RedDashboard } from "@/components/observability/RedDashboard";

type Props = { params: Promise<{ service: string }> };

/** Next hands over the segment decoded; decode once more only if it still looks encoded. */
function serviceName(raw: string): string {
  try {
    return /%[0-9A-Fa-f]{2}/.test(raw) ? decodeURIComponent(raw) : raw;
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `RED · ${serviceName((await params).service)}` };
}

export default async function RedServicePage({ params }: Props) {
  const service = serviceName((await params).service);
  return (
    <Suspense fallback={<div className="state">Loading the dashboard…</div>}>
      <RedDashboard service={service} />
    </Suspense>
  );
}
