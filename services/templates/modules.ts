import type { z } from "zod";
import { DomainError } from "@/server/errors";
import type { TemplatesDb } from "./db";
import { scanBody } from "./placeholders";
import type { CreateModuleInput, UpdateModuleInput, Variable } from "./schemas";
import { byIdOrSlug } from "./templates";

type Row = NonNullable<Awaited<ReturnType<TemplatesDb["module"]["findUnique"]>>>;

function view(m: Row) {
  return { ...m, variables: m.variables as Variable[] };
}

function checkModule(body: string, variables: Variable[]): void {
  const used = scanBody(body);
  if (used.modules.length) throw new DomainError("BAD_REQUEST", `a module cannot include other modules (${used.modules.join(", ")})`);
  const declared = new Set(variables.map((v) => v.name));
  const undeclared = used.variables.filter((v) => !declared.has(v));
  if (undeclared.length) throw new DomainError("BAD_REQUEST", `the body uses variables that are not declared: ${undeclared.join(", ")}`);
}

/** Every module, by slug. */
export async function listModules(db: TemplatesDb) {
  return (await db.module.findMany({ orderBy: { slug: "asc" } })).map(view);
}

export async function getModule(db: TemplatesDb, id: string) {
  const m = await db.module.findUnique({ where: byIdOrSlug(id) });
  if (!m) throw new DomainError("NOT_FOUND", `no module "${id}"`);
  return view(m);
}

/** Creates a reusable module; templates include it with {{> slug}}. */
export async function createModule(db: TemplatesDb, input: z.output<typeof CreateModuleInput>, actor: string) {
  checkModule(input.body, input.variables);
  if (await db.module.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
    throw new DomainError("CONFLICT", `a module with slug "${input.slug}" already exists`);
  }
  return view(await db.module.create({ data: { ...input, createdBy: actor } }));
}

/** Changes a module in place (templates include modules by slug, so they see the new text). */
export async function updateModule(db: TemplatesDb, input: z.output<typeof UpdateModuleInput>) {
  const m = await getModule(db, input.id);
  if (input.expectedRevision !== undefined && input.expectedRevision !== m.revision) {
    throw new DomainError("CONFLICT", `module "${m.slug}" is at revision ${m.revision}, not ${input.expectedRevision}; reload and retry`);
  }
  const body = input.body ?? m.body;
  const variables = input.variables ?? m.variables;
  checkModule(body, variables);
  const { id: _id, expectedRevision: _r, ...changes } = input;
  const res = await db.module.updateMany({ where: { id: m.id, revision: m.revision }, data: { ...changes, revision: { increment: 1 } } });
  if (res.count === 0) throw new DomainError("CONFLICT", `module "${m.slug}" changed meanwhile; reload and retry`);
  return getModule(db, m.id);
}
