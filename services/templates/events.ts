import { z } from "zod";
import { defineEvent } from "@/server/messaging/events";

const templateRef = { templateId: z.string().uuid(), version: z.number().int().min(1), title: z.string().min(1).max(200) };

/** Events the templates service emits. */
export const templateEvents = {
  TemplateUpdated: defineEvent(
    "templates",
    "TemplateUpdated",
    z.object({ ...templateRef, changedFields: z.array(z.string()).default([]) }),
    "A template's content, variables or metadata changed.",
  ),
  TemplatePublished: defineEvent(
    "templates",
    "TemplatePublished",
    z.object({ ...templateRef, publishedBy: z.string().min(1) }),
    "A template version passed the publication saga and is available.",
  ),
  TemplatePublicationRejected: defineEvent(
    "templates",
    "TemplatePublicationRejected",
    z.object({ ...templateRef, reason: z.string().max(2000) }),
    "The publication saga turned a template version down (quality gate, missing assets) and put it back.",
  ),
  TemplateDeprecated: defineEvent(
    "templates",
    "TemplateDeprecated",
    z.object({ ...templateRef, reason: z.string().max(500).optional(), sunsetAt: z.string().datetime({ offset: true }).optional() }),
    "A template version is deprecated and will be sunset.",
  ),
};
