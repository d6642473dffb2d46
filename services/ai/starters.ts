import { DomainError } from "@/server/errors";
import type { AiDb } from "./db";

/** The starter content generated for a project (by the ai.project-starter consumer). */
export async function getProjectStarter(db: AiDb, projectId: string) {
  const s = await db.projectStarter.findUnique({ where: { projectId } });
  if (!s) throw new DomainError("NOT_FOUND", `no starter content for project "${projectId}" (yet)`);
  return { ...s, outcome: s.outcome as "success" | "error" | "timeout" };
}
