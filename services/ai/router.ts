import { z } from "zod";
import { engineerProcedure, protectedProcedure } from "@/server/gateway/procedures";
import { correlationIdOf } from "@/server/trpc/context";
import { router } from "@/server/trpc/init";
import { analyze, generate } from "./generate";
import { lookupsFor } from "./lookups";
import { providerFor } from "./providers";
import { ragQuery } from "./rag/query";
import { getRun, listRuns } from "./runs";
import {
  Analysis,
  AnalyzeInput,
  GenerateInput,
  GenerateOutput,
  ListRunsInput,
  ProjectStarterView,
  PromptRunView,
  RagAnswer,
  RagQueryInput,
  RunPage,
} from "./schemas";
import { getProjectStarter } from "./starters";

const correlation = correlationIdOf;

const analyzeExample = {
  body: "# Incident postmortem: {{title}}\n\n## Impact\n{{impact}}\n\n## Timeline\n{time}",
  variables: [
    { name: "title", description: "Incident title" },
    { name: "impact", description: "Who was affected, for how long" },
    { name: "owner" },
  ],
};

/** Analysis, generation and retrieval: tRPC procedures, also served as REST under /api/v1 (thin over the domain functions). */
export const aiRouter = router({
  analyze: protectedProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/ai/analyze",
        summary: "Analyze a template: variables declared and used, structure, problems and a quality score (0-100)",
        tags: ["ai"],
        examples: { input: analyzeExample },
      },
    })
    .input(AnalyzeInput)
    .output(Analysis)
    .query(({ ctx, input }) => analyze(lookupsFor(ctx.app, correlation(ctx)), input)),

  generate: engineerProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/ai/generate",
        summary: "Fill a template from inputs through the configured provider; every run is recorded",
        description: "A provider failure is not a request error: the answer is the recorded run with outcome error or timeout, and text null.",
        tags: ["ai"],
        examples: { input: { templateId: "7d1c1f7e-3f5e-4b0a-9a57-0c8a3f1b2d4e", inputs: { title: "Checkout outage", impact: "EU customers for 40 minutes" } } },
      },
    })
    .input(GenerateInput)
    .output(GenerateOutput)
    .mutation(({ ctx, input }) =>
      generate(
        { db: ctx.app.db.ai, config: ctx.app.config.ai, provider: providerFor(ctx.app.config.ai), lookups: lookupsFor(ctx.app, correlation(ctx)) },
        input,
        ctx.principal!.userId,
        correlation(ctx),
      ),
    ),

  rag: router({
    query: protectedProcedure
      .meta({
        rest: {
          method: "POST",
          path: "/ai/rag/query",
          summary: "Ask a question: the best passages of templates and assets, with an extractive answer citing them",
          tags: ["ai"],
          examples: { input: { question: "How do we write the impact section of a postmortem?", limit: 5 } },
        },
      })
      .input(RagQueryInput)
      .output(RagAnswer)
      .query(({ ctx, input }) => ragQuery(ctx.app.db.ai, input)),
  }),

  runs: router({
    list: protectedProcedure
      .meta({ rest: { method: "GET", path: "/ai/runs", summary: "Prompt runs, newest first", tags: ["ai"] } })
      .input(ListRunsInput)
      .output(RunPage)
      .query(({ ctx, input }) => listRuns(ctx.app.db.ai, input)),
    get: protectedProcedure
      .meta({ rest: { method: "GET", path: "/ai/runs/{id}", summary: "One prompt run", tags: ["ai"] } })
      .input(z.object({ id: z.string().uuid() }))
      .output(PromptRunView)
      .query(({ ctx, input }) => getRun(ctx.app.db.ai, input.id)),
  }),

  starters: router({
    get: protectedProcedure
      .meta({ rest: { method: "GET", path: "/ai/projects/{projectId}/starter", summary: "The starter content generated for a project from its template", tags: ["ai"] } })
      .input(z.object({ projectId: z.string().uuid() }))
      .output(ProjectStarterView)
      .query(({ ctx, input }) => getProjectStarter(ctx.app.db.ai, input.projectId)),
  }),
});
