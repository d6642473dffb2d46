import { hasRole } from "@/server/auth/principal";
import { engineerProcedure, protectedProcedure } from "@/server/gateway/procedures";
import { correlationIdOf, type TRPCContext } from "@/server/trpc/context";
import { router } from "@/server/trpc/init";
import { addMember, removeMember } from "./members";
import { type Actor, archiveProject, createProject, getProject, listProjects } from "./projects";
import {
  AddMemberInput,
  ArchiveProjectInput,
  CreateProjectInput,
  GetProjectInput,
  ListProjectsInput,
  ProjectDetail,
  ProjectPage,
  RemoveMemberInput,
} from "./schemas";

const correlation = correlationIdOf;

/** The caller as the projects service sees it; services calling in-process act like admins. */
function actor(ctx: TRPCContext): Actor {
  const p = ctx.principal!;
  return { userId: p.userId, name: p.name, email: p.email, admin: p.source === "service" || hasRole(p, "admin") };
}

const tags = ["projects"];

/** Projects and their members: tRPC procedures, also served as REST under /api/v1 (thin over the domain functions). */
export const projectsRouter = router({
  list: protectedProcedure
    .meta({ rest: { method: "GET", path: "/projects", summary: "List projects, newest first", tags } })
    .input(ListProjectsInput)
    .output(ProjectPage)
    .query(({ ctx, input }) => listProjects(ctx.app.db.projects, input)),

  get: protectedProcedure
    .meta({ rest: { method: "GET", path: "/projects/{id}", summary: "Get a project with its members", tags } })
    .input(GetProjectInput)
    .output(ProjectDetail)
    .query(({ ctx, input }) => getProject(ctx.app.db.projects, input.id)),

  create: engineerProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/projects",
        summary: "Create a project from a template",
        description:
          "The template must exist and not be deprecated (404 / 400 otherwise); a draft is used at its newest version, a published template at its published version. The creator becomes the project's owner. Emits ProjectCreated with the request's correlation id (x-correlation-id, or the request id).",
        tags,
        successStatus: 201,
        examples: { input: { name: "Checkout outage review", templateId: "incident-postmortem", description: "Postmortem of the 24 November checkout outage" } },
      },
    })
    .input(CreateProjectInput)
    .output(ProjectDetail)
    .mutation(({ ctx, input }) => createProject(ctx.app, input, actor(ctx), correlation(ctx))),

  archive: engineerProcedure
    .meta({ rest: { method: "POST", path: "/projects/{id}/archive", summary: "Archive a project (owners and admins)", tags } })
    .input(ArchiveProjectInput)
    .output(ProjectDetail)
    .mutation(({ ctx, input }) => archiveProject(ctx.app.db.projects, input, actor(ctx), correlation(ctx))),

  members: router({
    add: engineerProcedure
      .meta({ rest: { method: "POST", path: "/projects/{id}/members", summary: "Add a user to a project with a role (owners and admins)", tags, successStatus: 201 } })
      .input(AddMemberInput)
      .output(ProjectDetail)
      .mutation(({ ctx, input }) => addMember(ctx.app, input, actor(ctx), correlation(ctx))),
    remove: engineerProcedure
      .meta({
        rest: {
          method: "DELETE",
          path: "/projects/{id}/members/{userId}",
          summary: "Remove a member (owners and admins; members may leave); the last owner cannot be removed",
          tags,
        },
      })
      .input(RemoveMemberInput)
      .output(ProjectDetail)
      .mutation(({ ctx, input }) => removeMember(ctx.app.db.projects, input, actor(ctx), correlation(ctx))),
  }),
});
