"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { DeadLetterCounts } from "./DeadLetterCounts";
import { DeadLetterFilters } from "./DeadLetterFilters";
import { DeadLetterGroups } from "./DeadLetterGroups";
import { DeadLetterList } from "./DeadLetterList";
import { toApiFilter, useConsoleFilter } from "./filter";
import { shortError } from "./format";
import { OperationProgress } from "./OperationProgress";
import { useCanOperate } from "./useCanOperate";
import { ViewerNote } from "./ViewerNote";

/** The dead-letter console: counts, causes, filters (in the URL), the list, and bulk replay/discard with progress. */
export function DeadLetterConsole() {
  const trpc = useTRPC();
  const [filter, setFilter] = useConsoleFilter();
  const { canOperate, known } = useCanOperate();
  const [operationId, setOperationId] = useState<string>();
  // What "Replay all matching" would take: the open dead letters under the current filter.
  const open = useQuery(trpc.messaging.deadLetters.groups.queryOptions({ filter: { ...toApiFilter(filter), status: "dead" } }));
  const matching = open.data?.reduce((n, g) => n + g.count, 0);
  const sample = open.data?.find((g) => g.fingerprint === filter.fingerprint)?.sampleMessage;
  const groupLabel = sample === undefined ? undefined : shortError(sample);

  return (
    <div className="stack">
      <DeadLetterCounts status={filter.status} onStatus={(status) => setFilter({ status })} />
      {known && !canOperate && <ViewerNote />}
      <DeadLetterGroups filter={filter} onSelect={(fingerprint) => setFilter({ fingerprint })} />
      {operationId && <OperationProgress key={operationId} id={operationId} onDismiss={() => setOperationId(undefined)} />}
      <section className="panel">
        <DeadLetterFilters filter={filter} setFilter={setFilter} groupLabel={groupLabel} />
        {/* A new filter starts a new selection. */}
        <DeadLetterList key={JSON.stringify(filter)} filter={filter} canOperate={canOperate} matching={matching} onReplayStarted={setOperationId} />
      </section>
    </div>
  );
}
