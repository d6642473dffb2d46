import { z } from "zod";

/** The shapes the templates service reads and returns — shared by tRPC, REST and its OpenAPI document. */

export const Slug = z
  .string()
  .min(2)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");

export const Variable = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a letter, then letters, digits or _").max(64),
    type: z.enum(["string", "text", "number", "boolean", "enum"]).default("string"),
    required: z.boolean().default(true),
    description: z.string().max(500).default(""),
    default: z.string().max(2000).optional(),
    options: z.array(z.string().max(200)).max(50).optional(),
  })
  .meta({ id: "TemplateVariable", description: "A value the template asks for, inserted where the body says {{name}}" });
export type Variable = z.output<typeof Variable>;

export const TemplateStatus = z.enum(["draft", "in_review", "published", "deprecated"]).meta({ id: "TemplateStatus" });

const content = {
  body: z.string().min(1).max(100_000),
  variables: z.array(Variable).max(100).default([]),
  assetIds: z.array(z.string().uuid()).max(50).default([]),
};

export const CreateTemplateInput = z.object({
  slug: Slug,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(""),
  ...content,
});

export const UpdateTemplateInput = z.object({
  id: z.string().min(1).describe("The template's id or slug"),
  /** Optimistic concurrency: refused with 409 when the template changed meanwhile. */
  expectedRevision: z.number().int().min(1).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  body: content.body.optional(),
  variables: z.array(Variable).max(100).optional(),
  assetIds: z.array(z.string().uuid()).max(50).optional(),
  changelog: z.string().max(2000).default(""),
});

export const DeprecateTemplateInput = z.object({
  id: z.string().min(1).describe("The template's id or slug"),
  reason: z.string().trim().min(3).max(500),
  sunsetAt: z.coerce.date().optional(),
});

export const ListTemplatesInput = z.object({
  status: TemplateStatus.optional(),
  q: z.string().max(200).optional().describe("Words in the slug, title or description"),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().optional().describe("nextCursor of the previous page"),
});

export const TemplateSummary = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    status: TemplateStatus,
    headVersion: z.number().int(),
    publishedVersion: z.number().int().nullable(),
    revision: z.number().int(),
    updatedAt: z.date(),
    deprecatedAt: z.date().nullable(),
    sunsetAt: z.date().nullable(),
  })
  .meta({ id: "TemplateSummary" });

export const TemplateVersionView = z
  .object({
    version: z.number().int(),
    body: z.string(),
    variables: z.array(Variable),
    modules: z.array(z.string()),
    assetIds: z.array(z.string()),
    changelog: z.string(),
    createdBy: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: "TemplateVersion" });

export const TemplateDetail = TemplateSummary.extend({
  createdBy: z.string(),
  createdAt: z.date(),
  deprecationReason: z.string().nullable(),
  current: TemplateVersionView,
  versions: z.array(z.object({ version: z.number().int(), changelog: z.string(), createdBy: z.string(), createdAt: z.date() })),
}).meta({ id: "TemplateDetail" });

export const TemplatePage = z.object({ items: z.array(TemplateSummary), nextCursor: z.string().nullable() }).meta({ id: "TemplatePage" });

export const ModuleView = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    body: z.string(),
    variables: z.array(Variable),
    revision: z.number().int(),
    createdBy: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: "Module" });

export const CreateModuleInput = z.object({
  slug: Slug,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(""),
  body: z.string().min(1).max(50_000),
  variables: z.array(Variable).max(100).default([]),
});

export const UpdateModuleInput = z.object({
  id: z.string().min(1).describe("The module's id or slug"),
  expectedRevision: z.number().int().min(1).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  body: z.string().min(1).max(50_000).optional(),
  variables: z.array(Variable).max(100).optional(),
});
