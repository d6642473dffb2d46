import { z } from "zod";

/** The shapes the projects service reads and returns — shared by tRPC, REST and its OpenAPI document. */

export const ProjectRole = z.enum(["owner", "editor", "viewer"]).meta({ id: "ProjectRole", description: "owner: everything; editor: content; viewer: read" });
export type ProjectRole = z.output<typeof ProjectRole>;

export const ProjectStatus = z.enum(["active", "archived"]).meta({ id: "ProjectStatus" });

const projectId = z.string().uuid().describe("The project's id");

export const CreateProjectInput = z.object({
  name: z.string().trim().min(1).max(200),
  templateId: z.string().min(1).max(200).describe("The template's id or slug; it must exist and not be deprecated (drafts are allowed)"),
  description: z.string().max(2000).default(""),
});

export const ListProjectsInput = z.object({
  status: ProjectStatus.optional(),
  templateId: z.string().uuid().optional().describe("Only projects created from this template"),
  memberId: z.string().min(1).max(200).optional().describe("Only projects this user is a member of"),
  q: z.string().max(200).optional().describe("Words in the name or description"),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().uuid().optional().describe("nextCursor of the previous page"),
});

export const GetProjectInput = z.object({ id: projectId });

export const AddMemberInput = z.object({
  id: projectId,
  userId: z.string().uuid().describe("An auth service user id"),
  role: ProjectRole,
});

export const RemoveMemberInput = z.object({ id: projectId, userId: z.string().min(1).max(200) });

export const ArchiveProjectInput = z.object({ id: projectId, reason: z.string().trim().max(500).optional() });

export const ProjectMemberView = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    role: ProjectRole,
    addedBy: z.string(),
    addedAt: z.date(),
  })
  .meta({ id: "ProjectMember" });

export const ProjectSummary = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    templateId: z.string().uuid(),
    templateSlug: z.string(),
    templateVersion: z.number().int(),
    status: ProjectStatus,
    revision: z.number().int(),
    memberCount: z.number().int(),
    createdBy: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
    archivedAt: z.date().nullable(),
  })
  .meta({ id: "ProjectSummary" });

export const ProjectDetail = ProjectSummary.extend({ members: z.array(ProjectMemberView) }).meta({ id: "Project" });

export const ProjectPage = z.object({ items: z.array(ProjectSummary), nextCursor: z.string().nullable() }).meta({ id: "ProjectPage" });
