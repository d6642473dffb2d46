import { defineConsumer } from "@/server/messaging/registry";
import { assetEvents } from "@/services/assets/events";
import { lookupsFor } from "../lookups";
import { clearIndex, indexDocument, indexedVersion } from "../rag/store";
import type { Tx } from "../runs";
import { consumerApp } from "./app";
import { correlationOf } from "./template-indexer";

/**
 * ai.asset-indexer: indexes an uploaded asset's text for retrieval, read through `assets.getText`.
 * Assets without text (images, PDFs) are recorded without passages. Assets never change, so their
 * one event is indexed once; a redelivery is stale.
 */
export const assetIndexerConsumer = defineConsumer<Tx>({
  name: "ai.asset-indexer",
  service: "ai",
  eventTypes: [assetEvents.AssetUploaded.type],
  // The payload is checked in `handle` (a schema here would dead-letter at once, racing the event
  // feed's own dead letter for the same bad event in services/analytics/consumers/event-feed.int.test.ts).
  concurrency: 1,
  async handle(ctx) {
    const { tx, envelope, log } = ctx;
    const payload = assetEvents.AssetUploaded.payload.safeParse(envelope.payload);
    if (!payload.success) throw new Error(`invalid AssetUploaded payload: ${payload.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    const { assetId, fileName } = payload.data;
    if (envelope.aggregateVersion <= (await indexedVersion(tx, "asset", assetId))) return;
    const asset = await lookupsFor(consumerApp(ctx), correlationOf(envelope)).assetText(assetId);
    const outcome = await indexDocument(tx, {
      sourceType: "asset",
      sourceId: assetId,
      title: asset?.fileName ?? fileName,
      version: envelope.aggregateVersion,
      text: asset?.text ?? null,
      remove: !asset,
    });
    log.debug({ assetId, outcome }, "asset indexed");
  },
  async reset(tx) {
    await clearIndex(tx, "asset");
  },
});
