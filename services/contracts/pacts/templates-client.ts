/**
 * The projects service's view of the templates service's public REST API: what projects needs when
 * it creates a project from a template (services/projects/projects.ts, `templateForProject`, which
 * today calls `templates.get` in-process through the same procedure). This typed HTTP client is the
 * subject of projects' consumer pact with templates (projects-templates.pact.int.test.ts): the pact
 * states the REST contract projects relies on, `GET /api/v1/templates/{id}`, and nothing more.
 */
import { z } from "zod";

/** The fields of a template projects reads; anything else the provider sends is ignored. */
export const TemplateForProject = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  status: z.enum(["draft", "in_review", "published", "deprecated"]),
  headVersion: z.number().int().min(1),
  publishedVersion: z.number().int().min(1).nullable(),
  deprecationReason: z.string().nullable(),
});
export type TTemplateForProject = z.infer<typeof TemplateForProject>;

/** A client of the templates API at `baseUrl`, calling with a scoped API token. */
export function templatesClient(baseUrl: string, token: string) {
  return {
    /** The template with this id or slug, or null when there is none. */
    async getTemplate(idOrSlug: string): Promise<TTemplateForProject | null> {
      const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/api/v1/templates/${encodeURIComponent(idOrSlug)}`, {
        headers: { accept: "application/json", authorization: `Bearer ${token}` },
      });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`templates answered HTTP ${res.status} for ${idOrSlug}`);
      return TemplateForProject.parse(await res.json());
    },
  };
}
