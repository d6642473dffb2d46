import { randomUUID } from "node:crypto";
import { PoisonMessageError } from "@/server/messaging/consumer";
import { appendToOutbox } from "@/server/messaging/outbox";
import { defineConsumer } from "@/server/messaging/registry";
import { projectEvents } from "@/services/projects/events";
import { preparePrompt } from "../generate";
import { lookupsFor, type TemplateVariable } from "../lookups";
import { providerFor } from "../providers";
import { callProvider, saveRun, type Tx } from "../runs";
import { consumerApp } from "./app";
import { correlationOf } from "./template-indexer";

/** Variables a project's name fills: the ones that name or title the thing being written. */
const NAME_LIKE = /^(?:project_?name|project|name|title|service_?name|service)$/i;

/** The inputs a new project supplies to its template: its name wherever a variable asks for a name or title. */
export function starterInputs(variables: TemplateVariable[], projectName: string): Record<string, string> {
  return Object.fromEntries(variables.filter((v) => NAME_LIKE.test(v.name)).map((v) => [v.name, projectName]));
}

/**
 * ai.project-starter — the ai step of the choreographed saga "create a project from a template":
 * projects emits ProjectCreated -> ai writes the project's starter content from the template's
 * current version through the provider -> analytics records the PromptRunRecorded. The run, the
 * starter content, the events and the inbox row commit together, under the ProjectCreated's
 * correlation id. A provider failure is recorded (run outcome, AIErrorsOccurred, a starter without
 * content); a template that does not exist makes the event a dead letter.
 */
export const projectStarterConsumer = defineConsumer<Tx>({
  name: "ai.project-starter",
  service: "ai",
  eventTypes: [projectEvents.ProjectCreated.type],
  payloads: { [projectEvents.ProjectCreated.type]: projectEvents.ProjectCreated.payload },
  // A provider call happens inside the consumer's transaction: one at a time.
  concurrency: 1,
  async handle(ctx) {
    const { tx, envelope, log } = ctx;
    const project = projectEvents.ProjectCreated.payload.parse(envelope.payload);
    // An event-store replay re-delivers: the project keeps the starter it got.
    if (await tx.projectStarter.findUnique({ where: { projectId: project.projectId }, select: { projectId: true } })) return;
    const app = consumerApp(ctx);
    const correlationId = correlationOf(envelope);
    const lookups = lookupsFor(app, correlationId);
    const template = await lookups.template(project.templateId);
    if (!template) throw new PoisonMessageError(`project ${project.projectId} names template ${project.templateId}, which does not exist`);
    const prepared = await preparePrompt(lookups, template, starterInputs(template.variables, project.name));
    const call = await callProvider(providerFor(app.config.ai), app.config.ai, prepared.prompt, app.config.ai.maxTokens);
    const runId = randomUUID();
    const { events } = await saveRun(tx, runId, call, {
      purpose: "project-starter",
      templateId: template.id,
      templateVersion: template.version,
      projectId: project.projectId,
      correlationId,
      requestedBy: project.createdBy,
    });
    await tx.projectStarter.create({
      data: {
        projectId: project.projectId,
        templateId: template.id,
        templateVersion: template.version,
        runId,
        outcome: call.outcome,
        content: call.text,
        correlationId,
      },
    });
    await appendToOutbox(tx, "ai", events);
    log.info({ projectId: project.projectId, runId, outcome: call.outcome }, "project starter generated");
  },
});
