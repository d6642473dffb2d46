import { TRPCError } from "@trpc/server";
import type { AppContext } from "@/server/app";
import { serviceCaller } from "@/server/service-calls";

/**
 * What the ai service reads from other services, always through their public procedures (as the
 * "ai" service principal, carrying the correlation id). Types are spelled out here so the ai service
 * depends on the other services' contracts, not on their code.
 */
export type TemplateVariable = { name: string; type?: string; required?: boolean; description?: string; default?: string };
export type TemplateSource = {
  id: string;
  title: string;
  description: string;
  status: string;
  revision: number;
  version: number;
  body: string;
  variables: TemplateVariable[];
};
export type ModuleSource = { slug: string; body: string; variables: string[] };
export type AssetTextSource = { assetId: string; fileName: string; contentType: string; text: string | null };

export type Lookups = {
  /** The template's current version, or null when there is no such template. */
  template(id: string): Promise<TemplateSource | null>;
  /** A module, or null when there is no such module. */
  module(slug: string): Promise<ModuleSource | null>;
  /** An asset's text (null text for types without one), or null when there is no such asset. */
  assetText(id: string): Promise<AssetTextSource | null>;
};

const notFound = (err: unknown) => err instanceof TRPCError && err.code === "NOT_FOUND";

async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (notFound(err)) return null;
    throw err;
  }
}

/** Lookups through `app`'s procedures, tied to `correlationId`. */
export function lookupsFor(app: AppContext, correlationId?: string): Lookups {
  const caller = serviceCaller(app, "ai", { correlationId });
  return {
    async template(id) {
      const t = await orNull(caller.templates.get({ id }));
      if (!t) return null;
      return {
        id: t.id,
        title: t.title,
        description: t.description,
        status: t.status,
        revision: t.revision,
        version: t.current.version,
        body: t.current.body,
        variables: t.current.variables,
      };
    },
    async module(slug) {
      const { modules } = caller.templates;
      const m = await orNull(modules.get({ id: slug }));
      return m ? { slug: m.slug, body: m.body, variables: m.variables.map((v) => v.name) } : null;
    },
    async assetText(id) {
      const a = await orNull(caller.assets.getText({ id }));
      return a ? { assetId: a.assetId, fileName: a.fileName, contentType: a.contentType, text: a.text } : null;
    },
  };
}

/** The modules a body includes, looked up once each (null for ones that do not exist). */
export async function modulesOf(lookups: Lookups, slugs: string[]): Promise<Record<string, ModuleSource | null>> {
  const found = await Promise.all(slugs.map((s) => lookups.module(s)));
  return Object.fromEntries(slugs.map((s, i) => [s, found[i]!]));
}
