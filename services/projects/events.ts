import { z } from "zod";
import { defineEvent } from "@/server/messaging/events";

const role = z.enum(["owner", "editor", "viewer"]);

/** Events the projects service emits. The aggregate is the project; its version is the project's revision. */
export const projectEvents = {
  ProjectCreated: defineEvent(
    "projects",
    "ProjectCreated",
    z.object({
      projectId: z.string().uuid(),
      templateId: z.string().uuid(),
      name: z.string().min(1).max(200),
      createdBy: z.string().min(1),
      templateVersion: z.number().int().min(1).optional().describe("The template version the project was created from"),
      templateSlug: z.string().optional(),
      description: z.string().max(2000).optional(),
    }),
    "A project was created from a template.",
  ),
  ProjectMemberAdded: defineEvent(
    "projects",
    "ProjectMemberAdded",
    z.object({
      projectId: z.string().uuid(),
      userId: z.string().min(1),
      role,
      addedBy: z.string().min(1),
      memberCount: z.number().int().min(1).optional().describe("Members after the change"),
    }),
    "Someone joined a project, with a role.",
  ),
  ProjectMemberRemoved: defineEvent(
    "projects",
    "ProjectMemberRemoved",
    z.object({
      projectId: z.string().uuid(),
      userId: z.string().min(1),
      role,
      removedBy: z.string().min(1),
      memberCount: z.number().int().min(0).optional().describe("Members after the change"),
    }),
    "Someone left a project (the last owner never does).",
  ),
  ProjectArchived: defineEvent(
    "projects",
    "ProjectArchived",
    z.object({ projectId: z.string().uuid(), archivedBy: z.string().min(1), reason: z.string().max(500).optional() }),
    "A project was archived: it is kept, read-only.",
  ),
};
