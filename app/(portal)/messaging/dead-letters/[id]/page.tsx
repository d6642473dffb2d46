import type { Metadata } from "next";
import { DeadLetterDetail } from "@/components/messaging/DeadLetterDetail";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Dead letter" };

export default async function DeadLetterPage({ params }: Params) {
  const { id } = await params;
  return <DeadLetterDetail id={decodeURIComponent(id)} />;
}
