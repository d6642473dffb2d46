import type { Metadata } from "next";
import { SagaTimeline } from "@/components/sagas/SagaTimeline";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Saga run" };

export default async function SagaPage({ params }: Params) {
  const { id } = await params;
  return <SagaTimeline id={id} />;
}
