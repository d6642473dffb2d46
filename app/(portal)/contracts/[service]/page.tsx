import type { Metadata } from "next";
import { ServiceContracts } from "@/components/contracts/ServiceContracts";

type Params = { params: Promise<{ service: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { service } = await params;
  return { title: `${service} · Contracts` };
}

export default async function ServiceContractsPage({ params }: Params) {
  const { service } = await params;
  return <ServiceContracts service={service} />;
}
