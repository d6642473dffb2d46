import type { Metadata } from "next";
import { ServiceOverview } from "@/components/catalog/ServiceOverview";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function ServicePage({ params }: Params) {
  const { name } = await params;
  return <ServiceOverview name={decodeURIComponent(name)} />;
}
