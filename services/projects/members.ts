import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import type { AppContext } from "@/server/app";
import { DomainError } from "@/server/errors";
import { transactWithEvents } from "@/server/messaging/outbox";
import { serviceCaller } from "@/server/service-calls";
import { projectEvents } from "./events";
import { type Actor, getProject, lockForChange, type Tx } from "./projects";
import type { AddMemberInput, RemoveMemberInput } from "./schemas";

/** A user of the auth service, read through its public `auth.users.get`. */
async function authUser(app: AppContext, userId: string, correlationId: string | undefined) {
  try {
    return await serviceCaller(app, "projects", { correlationId }).auth.users.get({ id: userId });
  } catch (err) {
    if (err instanceof TRPCError && err.code === "NOT_FOUND") throw new DomainError("NOT_FOUND", `no user "${userId}"`);
    throw err;
  }
}

/**
 * Adds an auth user to a project with a role and emits ProjectMemberAdded. Owners and admins only;
 * someone who is already a member is refused (remove them first to change the role).
 */
export async function addMember(app: AppContext, input: z.output<typeof AddMemberInput>, actor: Actor, correlationId?: string) {
  const user = await authUser(app, input.userId, correlationId);
  const { result } = await transactWithEvents(app.db.projects, "projects", async (tx: Tx, emit) => {
    const p = await lockForChange(tx, input.id, actor);
    const existing = p.members.find((m) => m.userId === user.id);
    if (existing) throw new DomainError("CONFLICT", `${user.name} is already a member of project "${p.name}" as ${existing.role}`);
    await tx.projectMember.create({ data: { projectId: p.id, userId: user.id, role: input.role, name: user.name, email: user.email, addedBy: actor.userId } });
    const updated = await tx.project.update({ where: { id: p.id }, data: { revision: { increment: 1 } } });
    emit({
      eventType: projectEvents.ProjectMemberAdded.type,
      aggregateId: p.id,
      aggregateVersion: updated.revision,
      correlationId,
      payload: projectEvents.ProjectMemberAdded.payload.parse({ projectId: p.id, userId: user.id, role: input.role, addedBy: actor.userId, memberCount: p.members.length + 1 }),
    });
    return getProject(tx, p.id);
  });
  return result;
}

/**
 * Removes a member and emits ProjectMemberRemoved. Owners and admins may remove anyone, members may
 * leave; the last owner cannot be removed (a project always has someone who can manage it).
 */
export async function removeMember(db: AppContext["db"]["projects"], input: z.output<typeof RemoveMemberInput>, actor: Actor, correlationId?: string) {
  const { result } = await transactWithEvents(db, "projects", async (tx: Tx, emit) => {
    const p = await lockForChange(tx, input.id, actor, { allowSelf: input.userId });
    const member = p.members.find((m) => m.userId === input.userId);
    if (!member) throw new DomainError("NOT_FOUND", `"${input.userId}" is not a member of project "${p.name}"`);
    if (member.role === "owner" && p.members.filter((m) => m.role === "owner").length === 1) {
      throw new DomainError("CONFLICT", `${member.name} is the last owner of project "${p.name}" and cannot be removed; add another owner first`);
    }
    await tx.projectMember.delete({ where: { projectId_userId: { projectId: p.id, userId: member.userId } } });
    const updated = await tx.project.update({ where: { id: p.id }, data: { revision: { increment: 1 } } });
    emit({
      eventType: projectEvents.ProjectMemberRemoved.type,
      aggregateId: p.id,
      aggregateVersion: updated.revision,
      correlationId,
      payload: projectEvents.ProjectMemberRemoved.payload.parse({
        projectId: p.id,
        userId: member.userId,
        role: member.role,
        removedBy: actor.userId,
        memberCount: p.members.length - 1,
      }),
    });
    return getProject(tx, p.id);
  });
  return result;
}
