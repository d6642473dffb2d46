import { z } from "zod";
import { engineerProcedure, protectedProcedure, serviceProcedure } from "@/server/gateway/procedures";
import { startSaga } from "@/server/sagas/engine";
import { correlationIdOf, type TRPCContext } from "@/server/trpc/context";
import { router } from "@/server/trpc/init";
import { sagaRegistry } from "@/workers/sagas";
import { createModule, getModule, listModules, updateModule } from "./modules";
import { beginPublication, publishableVersion, rejectPublication } from "./publication";
import { publishTemplateSaga } from "./publish-saga";
import {
  CreateModuleInput,
  CreateTemplateInput,
  DeprecateTemplateInput,
  ListTemplatesInput,
  ModuleView,
  TemplateDetail,
  TemplatePage,
  UpdateModuleInput,
  UpdateTemplateInput,
} from "./schemas";
import { createTemplate, deprecateTemplate, getTemplate, listTemplates, markPublished, updateTemplate } from "./templates";

const correlation = correlationIdOf;
const actor = (ctx: TRPCContext) => ctx.principal!.userId;

const example = {
  slug: "incident-postmortem",
  title: "Incident postmortem",
  description: "Blameless review of an incident",
  body: "# {{title}}\n\nImpact: {{impact}}\n\n{{> action-items}}",
  variables: [
    { name: "title", type: "string", required: true, description: "Incident title" },
    { name: "impact", type: "text", required: true, description: "Who was affected, for how long" },
  ],
};

/** Templates and modules: tRPC procedures, also served as REST under /api/v1 (thin over the domain functions). */
export const templatesRouter = router({
  list: protectedProcedure
    .meta({ rest: { method: "GET", path: "/templates", summary: "List templates", tags: ["templates"] } })
    .input(ListTemplatesInput)
    .output(TemplatePage)
    .query(({ ctx, input }) => listTemplates(ctx.app.db.templates, input)),

  get: protectedProcedure
    .meta({ rest: { method: "GET", path: "/templates/{id}", summary: "Get a template with its current or a chosen version", tags: ["templates"] } })
    .input(z.object({ id: z.string().min(1).describe("The template's id or slug"), version: z.number().int().min(1).optional() }))
    .output(TemplateDetail)
    .query(({ ctx, input }) => getTemplate(ctx.app.db.templates, input.id, input.version)),

  create: engineerProcedure
    .meta({ rest: { method: "POST", path: "/templates", summary: "Create a draft template", tags: ["templates"], successStatus: 201, examples: { input: example } } })
    .input(CreateTemplateInput)
    .output(TemplateDetail)
    .mutation(({ ctx, input }) => createTemplate(ctx.app.db.templates, input, actor(ctx), correlation(ctx))),

  update: engineerProcedure
    .meta({ rest: { method: "PATCH", path: "/templates/{id}", summary: "Change a template (content changes make a new version)", tags: ["templates"] } })
    .input(UpdateTemplateInput)
    .output(TemplateDetail)
    .mutation(({ ctx, input }) => updateTemplate(ctx.app.db.templates, input, actor(ctx), correlation(ctx))),

  deprecate: engineerProcedure
    .meta({ rest: { method: "POST", path: "/templates/{id}/deprecate", summary: "Deprecate a published template, with a sunset date", tags: ["templates"] } })
    .input(DeprecateTemplateInput)
    .output(TemplateDetail)
    .mutation(({ ctx, input }) => deprecateTemplate(ctx.app.db.templates, input, correlation(ctx))),

  publish: engineerProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/templates/{id}/publish",
        summary: "Request publication: starts the publication saga (quality gate, asset check), answers at once",
        tags: ["templates"],
        successStatus: 202,
      },
    })
    .input(z.object({ id: z.string().min(1).describe("The template's id or slug") }))
    .output(z.object({ sagaId: z.string().uuid(), templateId: z.string().uuid(), version: z.number().int() }).meta({ id: "PublicationStarted" }))
    .mutation(async ({ ctx, input }) => {
      const target = await publishableVersion(ctx.app.db.templates, input.id);
      // People are named by e-mail on the saga's timeline and in TemplatePublished.publishedBy.
      const who = ctx.principal!.email ?? actor(ctx);
      const sagaId = await startSaga(ctx.app, sagaRegistry, publishTemplateSaga.name, { ...target, requestedBy: who }, { correlationId: correlation(ctx), startedBy: who });
      return { sagaId, ...target };
    }),

  /** The publication saga's steps on this service (services only). */
  publication: router({
    begin: serviceProcedure
      .input(z.object({ id: z.string().uuid(), version: z.number().int().min(1) }))
      .mutation(({ ctx, input }) => beginPublication(ctx.app.db.templates, input.id, input.version)),
    complete: serviceProcedure
      .input(z.object({ id: z.string().uuid(), version: z.number().int().min(1), publishedBy: z.string() }))
      .mutation(({ ctx, input }) => markPublished(ctx.app.db.templates, input.id, input.version, input.publishedBy, correlation(ctx))),
    reject: serviceProcedure
      .input(z.object({ id: z.string().uuid(), version: z.number().int().min(1), reason: z.string() }))
      .mutation(({ ctx, input }) => rejectPublication(ctx.app.db.templates, input.id, input.version, input.reason, correlation(ctx))),
  }),

  modules: router({
    list: protectedProcedure
      .meta({ rest: { method: "GET", path: "/modules", summary: "List reusable modules", tags: ["modules"] } })
      .input(z.object({}))
      .output(z.array(ModuleView))
      .query(({ ctx }) => listModules(ctx.app.db.templates)),
    get: protectedProcedure
      .meta({ rest: { method: "GET", path: "/modules/{id}", summary: "Get a module", tags: ["modules"] } })
      .input(z.object({ id: z.string().min(1).describe("The module's id or slug") }))
      .output(ModuleView)
      .query(({ ctx, input }) => getModule(ctx.app.db.templates, input.id)),
    create: engineerProcedure
      .meta({ rest: { method: "POST", path: "/modules", summary: "Create a module", tags: ["modules"], successStatus: 201 } })
      .input(CreateModuleInput)
      .output(ModuleView)
      .mutation(({ ctx, input }) => createModule(ctx.app.db.templates, input, actor(ctx))),
    update: engineerProcedure
      .meta({ rest: { method: "PATCH", path: "/modules/{id}", summary: "Change a module", tags: ["modules"] } })
      .input(UpdateModuleInput)
      .output(ModuleView)
      .mutation(({ ctx, input }) => updateModule(ctx.app.db.templates, input)),
  }),
});
