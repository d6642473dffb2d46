"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { QueryState } from "@/components/ui/QueryState";
import { AuditTimeline } from "./AuditTimeline";
import { EnvelopeCard } from "./EnvelopeCard";
import { ErrorCard } from "./ErrorCard";
import { shortEventType } from "./format";
import { OperationProgress } from "./OperationProgress";
import { PayloadEditor } from "./PayloadEditor";
import { StatusBadge } from "./StatusBadge";
import { useCanOperate } from "./useCanOperate";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function NotFound({ id }: { id: string }) {
  return (
    <div className="panel state" role="alert" data-testid="not-found">
      <p style={{ marginTop: 0 }}>
        <strong>No dead letter with id “{id}”.</strong>
      </p>
      <p className="muted">The link may be wrong, or it was never dead-lettered on this portal.</p>
      <Link href="/messaging">Back to the dead letters</Link>
    </div>
  );
}

/** One dead letter: envelope, error and stack, the payload (editable), actions, and its audit trail. */
export function DeadLetterDetail({ id }: { id: string }) {
  const valid = UUID.test(id);
  return valid ? <Detail id={id} /> : <NotFound id={id} />;
}

function Detail({ id }: { id: string }) {
  const trpc = useTRPC();
  const { canOperate } = useCanOperate();
  const [operationId, setOperationId] = useState<string>();
  const q = useQuery({
    ...trpc.messaging.deadLetters.get.queryOptions({ id }),
    // While a replay is on its way, follow its status.
    refetchInterval: (query) => (query.state.data?.status === "replaying" ? 1000 : false),
  });
  if (q.error?.data?.code === "NOT_FOUND") return <NotFound id={id} />;
  const dl = q.data;
  return (
    <QueryState query={q} what="the dead letter" back={{ href: "/messaging", label: "Back to the dead letters" }}>
      {dl && (
        <div className="stack">
          <div className="page-head">
            <div>
              <div className="crumbs">
                <Link href="/messaging">Messaging</Link> / <Link href="/messaging">Dead letters</Link> / <span className="mono">{dl.id.slice(0, 8)}</span>
              </div>
              <h1 title={dl.eventType}>{shortEventType(dl.eventType)}</h1>
              <div className="row" style={{ marginTop: 8 }}>
                <span data-testid="dead-letter-status">
                  <StatusBadge status={dl.status} />
                </span>
                {dl.editedPayload !== null && <span className="badge badge-neutral">edited</span>}
                {dl.unrecoverable && <span className="badge badge-neutral">unrecoverable</span>}
                <span className="muted small">
                  consumer <span className="mono">{dl.consumer}</span> · aggregate <span className="mono">{dl.aggregateId}</span>
                </span>
              </div>
            </div>
          </div>
          {operationId && <OperationProgress key={operationId} id={operationId} onDismiss={() => setOperationId(undefined)} />}
          <div className="grid-2">
            <div className="stack msg-min0">
              <ErrorCard dl={dl} />
              <PayloadEditor dl={dl} canOperate={canOperate} onOperation={setOperationId} />
            </div>
            <div className="stack msg-min0">
              <EnvelopeCard dl={dl} />
              <AuditTimeline dl={dl} />
            </div>
          </div>
        </div>
      )}
    </QueryState>
  );
}
