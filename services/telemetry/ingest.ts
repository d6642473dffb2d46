import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type pg from "pg";
import type { Logger } from "@/server/logger";
import type { EncodedSpans } from "./copy-format";
import { copySpans, ensureDayPartitions, insertSpansSkippingDuplicates, upsertResources } from "./store";

/**
 * The ingest queue and its writers. Requests hand over their encoded spans and wait; writers take
 * everything waiting (up to a batch size) and store it with one COPY, so concurrent requests share a
 * commit. A request is answered after its spans are committed (docs/decisions/011-otlp-ingest.md).
 * The queue is bounded in spans and bytes: when full, new requests are refused (429) instead of buffered.
 */

export type IngestSettings = {
  /** Spans accepted but not yet committed, at most (a request is refused beyond it). */
  queueSpans: number;
  /** Bytes of encoded spans accepted but not yet committed, at most. */
  queueBytes: number;
  /** Concurrent COPY connections. */
  writers: number;
  /** Spans per COPY, at most (a single larger request is written alone). */
  batchSpans: number;
};

/** The queue is full: try again later (429 with Retry-After). */
export class QueueFullError extends Error {
  constructor(message = "ingest queue is full") {
    super(message);
    this.name = "QueueFullError";
  }
}

/** The database could not store the spans (503 with Retry-After: the exporter retries). */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`span store unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "StoreUnavailableError";
  }
}

/** The database refused this request's spans as data (400: retrying would not help). */
export class SpansRefusedError extends Error {
  constructor(cause: unknown) {
    super(`spans refused by the store: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "SpansRefusedError";
  }
}

type Pending = { spans: EncodedSpans; resolve: () => void; reject: (err: Error) => void };

export type IngestStats = {
  queuedSpans: number;
  queuedBytes: number;
  activeWriters: number;
  storedSpans: number;
  copies: number;
  refusedRequests: number;
  failedWrites: number;
};

const MAX_KNOWN_RESOURCES = 10_000;

const sqlState = (err: unknown) => (err as { code?: string } | undefined)?.code ?? "";
// Data exceptions, integrity violations (other than the two handled), program limits: the rows are at fault.
const isDataError = (err: unknown) => /^(22|23|54)/.test(sqlState(err));

/** The bounded queue and the writers that drain it into telemetry.spans. */
export class SpanIngest {
  private readonly waiting: Pending[] = [];
  private queuedSpans = 0;
  private queuedBytes = 0;
  private activeWriters = 0;
  private storedSpans = 0;
  private copies = 0;
  private refusedRequests = 0;
  private failedWrites = 0;
  private readonly knownDays = new Set<number>();
  /** Resources this process stored (hex id -> the day it last refreshed last_seen), bounded. */
  private readonly knownResources = new Map<string, number>();
  private closing = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: IngestSettings,
    private readonly log?: Logger,
  ) {}

  /** True while a new request would be accepted (checked before its body is read). */
  hasRoom(): boolean {
    return !this.closing && this.queuedSpans < this.settings.queueSpans && this.queuedBytes < this.settings.queueBytes;
  }

  stats(): IngestStats {
    return {
      queuedSpans: this.queuedSpans,
      queuedBytes: this.queuedBytes,
      activeWriters: this.activeWriters,
      storedSpans: this.storedSpans,
      copies: this.copies,
      refusedRequests: this.refusedRequests,
      failedWrites: this.failedWrites,
    };
  }

  /**
   * Queues one request's spans and resolves once they are committed. Throws QueueFullError when they do
   * not fit (an empty queue takes any one request), StoreUnavailableError or SpansRefusedError on failure.
   */
  submit(spans: EncodedSpans): Promise<void> {
    const empty = this.queuedSpans === 0;
    if (
      this.closing ||
      (!empty && (this.queuedSpans + spans.count > this.settings.queueSpans || this.queuedBytes + spans.data.length > this.settings.queueBytes))
    ) {
      this.refusedRequests++;
      return Promise.reject(new QueueFullError());
    }
    this.queuedSpans += spans.count;
    this.queuedBytes += spans.data.length;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ spans, resolve, reject });
      this.startWriters();
    });
  }

  /** Stops accepting and waits until everything queued is written (or failed). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.activeWriters === 0 && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private startWriters(): void {
    while (this.activeWriters < this.settings.writers && this.waiting.length > 0) {
      this.activeWriters++;
      // The writer's own queries must not produce spans: this process may be exporting its spans to
      // itself, and each write would otherwise be traced, exported and written again, forever.
      void context.with(suppressTracing(context.active()), () => this.writeLoop());
    }
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.writeGroup(this.takeGroup());
    } finally {
      this.activeWriters--;
      if (this.activeWriters === 0 && this.waiting.length === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [this.waiting.shift()!];
    let spans = group[0]!.spans.count;
    while (this.waiting.length > 0 && spans + this.waiting[0]!.spans.count <= this.settings.batchSpans) {
      const next = this.waiting.shift()!;
      spans += next.spans.count;
      group.push(next);
    }
    return group;
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    try {
      await this.writeOrSplit(group);
    } finally {
      for (const p of group) {
        this.queuedSpans -= p.spans.count;
        this.queuedBytes -= p.spans.data.length;
      }
    }
  }

  private async writeOrSplit(group: Pending[]): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await this.store(client, group);
      client.release();
    } catch (err) {
      this.failedWrites++;
      // A connection that failed for another reason than the data is not reused.
      client?.release(isDataError(err) ? undefined : (err as Error));
      if (isDataError(err) && group.length > 1) {
        // One request's rows are at fault: write each on its own, so only that one is refused.
        for (const p of group) await this.writeOrSplit([p]);
        return;
      }
      this.log?.error({ err, requests: group.length }, "span ingest write failed");
      const failure = isDataError(err) ? new SpansRefusedError(err) : new StoreUnavailableError(err);
      for (const p of group) p.reject(failure);
      return;
    }
    for (const p of group) p.resolve();
  }

  private async store(client: pg.PoolClient, group: Pending[]): Promise<void> {
    const chunks = group.map((p) => p.spans.data);
    await this.ensureDays(client, group);
    await this.ensureResources(client, group);
    let stored: number;
    try {
      stored = await copySpans(client, chunks);
    } catch (err) {
      if (sqlState(err) === "23505") {
        stored = await insertSpansSkippingDuplicates(client, chunks);
      } else if (sqlState(err) === "23514") {
        // "no partition of relation found": a partition this process knew of was dropped (or never made).
        this.knownDays.clear();
        await this.ensureDays(client, group);
        stored = await copySpans(client, chunks);
      } else {
        throw err;
      }
    }
    this.storedSpans += stored;
    this.copies++;
  }

  private async ensureResources(client: pg.PoolClient, group: Pending[]): Promise<void> {
    const today = Math.floor(Date.now() / 86_400_000);
    const missing = [];
    for (const p of group) {
      for (const r of p.spans.resources) {
        const key = r.id.toString("hex");
        if (this.knownResources.get(key) !== today) missing.push(r);
      }
    }
    if (missing.length === 0) return;
    await upsertResources(client, missing);
    for (const r of missing) {
      const key = r.id.toString("hex");
      this.knownResources.delete(key);
      this.knownResources.set(key, today);
    }
    // Oldest first (insertion order): forget the least recently stored beyond the bound.
    for (const key of this.knownResources.keys()) {
      if (this.knownResources.size <= MAX_KNOWN_RESOURCES) break;
      this.knownResources.delete(key);
    }
  }

  private async ensureDays(client: pg.PoolClient, group: Pending[]): Promise<void> {
    const missing = new Set<number>();
    for (const p of group) for (const d of p.spans.days) if (!this.knownDays.has(d)) missing.add(d);
    if (missing.size === 0) return;
    await ensureDayPartitions(client, missing);
    for (const d of missing) this.knownDays.add(d);
  }
}
