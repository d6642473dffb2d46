import type { MessagingRegistry } from "@/server/messaging/registry";
import { eventFeedConsumer } from "@/services/analytics/consumers/event-feed";

/** Every consumer of domain events, declared in code (the worker runs them; the dispatcher fans out to them). */
export const messagingRegistry: MessagingRegistry = {
  consumers: [eventFeedConsumer],
};
