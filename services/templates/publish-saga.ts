import { z } from "zod";
import { defineSaga, StepRejected } from "@/server/sagas/define";
import { serviceCaller } from "@/server/service-calls";

/** The quality score (0-100) below which the ai service's analysis turns a publication down. */
export const QUALITY_GATE = 60;

const Input = z.object({ templateId: z.string().uuid(), version: z.number().int().min(1), requestedBy: z.string() });

/**
 * "Publish a template", orchestrated by the templates service:
 *   templates puts the version in review -> ai analyzes it (quality gate) -> assets checks the
 *   referenced assets -> templates publishes it.
 * A failing step compensates in reverse: the template goes back to where it was, with a
 * TemplatePublicationRejected event that names the reason.
 */
export const publishTemplateSaga = defineSaga<z.infer<typeof Input>>({
  name: "templates.publish",
  service: "templates",
  input: Input,
  subject: (i) => i.templateId,
  steps: [
    {
      name: "request-publication",
      service: "templates",
      async run({ app, input, correlationId }) {
        const t = await serviceCaller(app, "templates", { correlationId }).templates.publication.begin({ id: input.templateId, version: input.version });
        return { slug: t.slug, title: t.title };
      },
      async compensate({ app, input, correlationId, reason }) {
        await serviceCaller(app, "templates", { correlationId }).templates.publication.reject({ id: input.templateId, version: input.version, reason: reason ?? "publication failed" });
      },
    },
    {
      name: "quality-gate",
      service: "ai",
      timeoutMs: 20_000,
      async run({ app, input, correlationId }) {
        const templates = serviceCaller(app, "templates", { correlationId }).templates;
        const t = await templates.get({ id: input.templateId, version: input.version });
        const analysis = await serviceCaller(app, "templates", { correlationId }).ai.analyze({
          templateId: input.templateId,
          body: t.current.body,
          variables: t.current.variables,
        });
        const errors = analysis.problems.filter((p) => p.severity === "error");
        if (errors.length > 0 || analysis.qualityScore < QUALITY_GATE) {
          const why = errors.length ? `: ${errors.map((p) => p.message).join("; ")}` : "";
          throw new StepRejected(`quality score ${analysis.qualityScore} (gate ${QUALITY_GATE}), ${errors.length} error(s)${why}`);
        }
        return { qualityScore: analysis.qualityScore, assetIds: t.current.assetIds };
      },
    },
    {
      name: "check-assets",
      service: "assets",
      async run({ app, data, correlationId }) {
        const ids = (data.assetIds as string[] | undefined) ?? [];
        if (ids.length === 0) return { assetsChecked: 0 };
        const { missing } = await serviceCaller(app, "templates", { correlationId }).assets.check({ ids });
        if (missing.length > 0) throw new StepRejected(`referenced assets do not exist: ${missing.join(", ")}`);
        return { assetsChecked: ids.length };
      },
    },
    {
      name: "publish",
      service: "templates",
      async run({ app, input, correlationId }) {
        const t = await serviceCaller(app, "templates", { correlationId }).templates.publication.complete({
          id: input.templateId,
          version: input.version,
          publishedBy: input.requestedBy,
        });
        return { publishedVersion: t.publishedVersion };
      },
    },
  ],
});
