import type { Metadata } from "next";
import { Suspense } from "react";
import { EventFeed } from "@/components/events/EventFeed";

export const metadata: Metadata = { title: "Events" };

export default function EventsPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Events</h1>
          <p>Every domain event the services emitted, as analytics received it. Pick a correlation id to follow one chain.</p>
        </div>
      </div>
      <Suspense fallback={<div className="state">Loading events…</div>}>
        <EventFeed />
      </Suspense>
    </>
  );
}
