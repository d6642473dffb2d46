import type { MessagingRegistry } from "@/server/messaging/registry";
import { assetIndexerConsumer } from "@/services/ai/consumers/asset-indexer";
import { projectStarterConsumer } from "@/services/ai/consumers/project-starter";
import { templateIndexerConsumer } from "@/services/ai/consumers/template-indexer";
import { eventFeedConsumer } from "@/services/analytics/consumers/event-feed";
import { metricsConsumer } from "@/services/analytics/consumers/metrics";

/** Every consumer of domain events, declared in code (the worker runs them; the dispatcher fans out to them). */
export const messagingRegistry: MessagingRegistry = {
  consumers: [
    eventFeedConsumer,
    metricsConsumer,
    templateIndexerConsumer,
    assetIndexerConsumer,
    projectStarterConsumer,
  ],
};
