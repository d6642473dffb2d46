import { z } from "zod";

/**
 * Backstage-style catalog entities (https://backstage.io/docs/features/software-catalog/descriptor-format),
 * the subset Switchyard reads from `catalog-info.yaml`: Component, API, System and Resource.
 */

// Backstage: 1-63 characters of [a-zA-Z0-9] separated by single [-_.].
const NAME = /^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/;
const entityName = z.string().max(63).regex(NAME, "must be 1-63 letters/digits separated by - _ or .");
const refString = z.string().min(1).max(255);

const Metadata = z.object({
  name: entityName,
  namespace: entityName.default("default"),
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  tags: z.array(z.string().regex(/^[a-z0-9:+#-]{1,63}$/, "tags are lowercase [a-z0-9:+#-]")).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  links: z.array(z.object({ url: z.string().url(), title: z.string().optional(), icon: z.string().optional() })).default([]),
});

const ComponentSpec = z.object({
  type: z.string().min(1),
  lifecycle: z.string().min(1),
  owner: refString,
  system: refString.optional(),
  providesApis: z.array(refString).default([]),
  consumesApis: z.array(refString).default([]),
  dependsOn: z.array(refString).default([]),
});

const ApiSpec = z.object({
  type: z.string().min(1),
  lifecycle: z.string().min(1),
  owner: refString,
  system: refString.optional(),
  definition: z.union([z.string(), z.object({ $text: z.string() })]).optional(),
});

const SystemSpec = z.object({ owner: refString, domain: refString.optional() });

const ResourceSpec = z.object({
  type: z.string().min(1),
  owner: refString,
  system: refString.optional(),
  dependsOn: z.array(refString).default([]),
});

const base = { apiVersion: z.literal("backstage.io/v1alpha1"), metadata: Metadata };

export const EntityDocument = z.discriminatedUnion("kind", [
  z.object({ ...base, kind: z.literal("Component"), spec: ComponentSpec }),
  z.object({ ...base, kind: z.literal("API"), spec: ApiSpec }),
  z.object({ ...base, kind: z.literal("System"), spec: SystemSpec }),
  z.object({ ...base, kind: z.literal("Resource"), spec: ResourceSpec }),
]);
export type EntityDocument = z.infer<typeof EntityDocument>;

export type EntityRef = { kind: string; namespace: string; name: string };

/**
 * Parses `[kind:][namespace/]name` with Backstage's defaults, lowercased (refs compare case-insensitively).
 * Throws when the reference has no kind and none is implied by the field it appears in.
 */
export function parseEntityRef(ref: string, defaults: { kind?: string; namespace?: string } = {}): EntityRef {
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!m) throw new Error(`"${ref}" is not an entity reference ([kind:][namespace/]name)`);
  const kind = m[1] ?? defaults.kind;
  if (!kind) throw new Error(`"${ref}" needs a kind, e.g. component:${ref}`);
  return {
    kind: kind.toLowerCase(),
    namespace: (m[2] ?? defaults.namespace ?? "default").toLowerCase(),
    name: m[3]!.toLowerCase(),
  };
}

/** `kind:namespace/name`, lowercase. */
export function stringifyEntityRef(ref: EntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`.toLowerCase();
}

/** The canonical reference of an entity document. */
export function entityRefOf(doc: EntityDocument): string {
  return stringifyEntityRef({ kind: doc.kind, namespace: doc.metadata.namespace, name: doc.metadata.name });
}

export type RelationType = "ownedBy" | "partOf" | "providesApi" | "consumesApi" | "dependsOn";
export type Relation = { type: RelationType; targetRef: string };

/** The outgoing relations an entity declares, with every target as a full entity reference. */
export function relationsOf(doc: EntityDocument): Relation[] {
  const ns = doc.metadata.namespace;
  const ref = (value: string, kind?: string) => stringifyEntityRef(parseEntityRef(value, { kind, namespace: ns }));
  const out: Relation[] = [{ type: "ownedBy", targetRef: ref(doc.spec.owner, "group") }];
  if ("system" in doc.spec && doc.spec.system) out.push({ type: "partOf", targetRef: ref(doc.spec.system, "system") });
  if (doc.kind === "Component") {
    for (const a of doc.spec.providesApis) out.push({ type: "providesApi", targetRef: ref(a, "api") });
    for (const a of doc.spec.consumesApis) out.push({ type: "consumesApi", targetRef: ref(a, "api") });
  }
  if (doc.kind === "Component" || doc.kind === "Resource") {
    for (const d of doc.spec.dependsOn) out.push({ type: "dependsOn", targetRef: ref(d) });
  }
  return out;
}
