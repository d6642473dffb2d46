"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { EventReplayForm } from "./EventReplayForm";
import { OutboxSummaryTable } from "./OutboxSummaryTable";
import { PartitionsTable } from "./PartitionsTable";
import { SERVICES, UnsentEvents } from "./UnsentEvents";
import { useCanOperate } from "./useCanOperate";
import { ViewerNote } from "./ViewerNote";

/** Outbox health per service, a service's unsent events, the event store's partitions, and event-store replays. */
export function OutboxConsole() {
  const { canOperate, known } = useCanOperate();
  const trpc = useTRPC();
  const summary = useQuery({ ...trpc.messaging.outbox.summary.queryOptions(), refetchInterval: 5_000 });
  const [chosen, setService] = useState<(typeof SERVICES)[number]>();
  // Until someone picks one, show the service that most needs a look.
  const troubled = summary.data?.find((s) => s.failed > 0) ?? summary.data?.find((s) => s.pending > 0);
  const service = chosen ?? troubled?.service ?? SERVICES[0]!;
  return (
    <div className="stack">
      {known && !canOperate && <ViewerNote what="Retrying events and replaying the event store" />}
      <OutboxSummaryTable selected={service} onSelect={(s) => setService(s as (typeof SERVICES)[number])} />
      <UnsentEvents service={service} onService={setService} canOperate={canOperate} />
      <div className="msg-grid-replay">
        <section className="panel panel-pad">
          <h2>Replay the event store to a consumer</h2>
          <p className="muted small" style={{ marginTop: 0 }}>
            Re-delivers stored events to one consumer to rebuild its read model; its inbox applies each once per replay.
          </p>
          {canOperate ? <EventReplayForm /> : <p className="muted small">Starting a replay needs the engineer role.</p>}
        </section>
        <PartitionsTable />
      </div>
    </div>
  );
}
