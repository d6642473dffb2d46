import { z } from "zod";
import { defineEvent } from "@/server/messaging/events";

/** Events the projects service emits. */
export const projectEvents = {
  ProjectCreated: defineEvent(
    "projects",
    "ProjectCreated",
    z.object({ projectId: z.string().uuid(), templateId: z.string().uuid(), name: z.string().min(1).max(200), createdBy: z.string().min(1) }),
    "A project was created from a template.",
  ),
};
