import type { Metadata } from "next";
import { ContractDiff } from "@/components/contracts/ContractDiff";

type Props = { params: Promise<{ service: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { service } = await params;
  return { title: `${service} · Contract diff` };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ContractDiffPage({ params, searchParams }: Props) {
  const { service } = await params;
  const q = await searchParams;
  const kind = one(q.kind) === "event" ? "event" : "openapi";
  return <ContractDiff service={service} kind={kind} subject={one(q.subject) ?? (kind === "openapi" ? service : "")} from={one(q.from)} to={one(q.to)} mode={one(q.mode)} />;
}
