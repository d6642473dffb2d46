import type { EventDefinition } from "@/server/messaging/events";
import { registerEventDefinitions } from "@/server/messaging/registry";
import { aiEvents } from "./ai/events";
import { analyticsEvents } from "./analytics/events";
import { assetEvents } from "./assets/events";
import { projectEvents } from "./projects/events";
import { templateEvents } from "./templates/events";

/** Every domain event type of the Templator services. */
export const domainEvents: EventDefinition[] = [
  ...Object.values(templateEvents),
  ...Object.values(aiEvents),
  ...Object.values(assetEvents),
  ...Object.values(projectEvents),
  ...Object.values(analyticsEvents),
];

// The messaging library validates every payload against these schemas, at the outbox and at each
// consumer (server/messaging/registry.ts); they are also what contracts/events/ publishes.
registerEventDefinitions(domainEvents);
