import type { Metadata } from "next";
import { Suspense } from "react";
import { DeadLetterConsole } from "@/components/messaging/DeadLetterConsole";
import { MessagingTabs } from "@/components/messaging/MessagingTabs";

export const metadata: Metadata = { title: "Dead letters" };

export default function MessagingPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dead letters</h1>
          <p>Messages a consumer gave up on, grouped by cause. Inspect, fix and replay them, or discard them with a reason.</p>
        </div>
      </div>
      <MessagingTabs />
      <Suspense fallback={<div className="state">Loading the console…</div>}>
        <DeadLetterConsole />
      </Suspense>
    </>
  );
}
