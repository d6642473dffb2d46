import type { Metadata } from "next";
import { MessagingTabs } from "@/components/messaging/MessagingTabs";
import { OutboxConsole } from "@/components/messaging/OutboxConsole";

export const metadata: Metadata = { title: "Outbox & event store" };

export default function OutboxPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Outbox &amp; event store</h1>
          <p>Whether every service&apos;s events are getting out, what is stuck, and replays of the event store to a consumer.</p>
        </div>
      </div>
      <MessagingTabs />
      <OutboxConsole />
    </>
  );
}
