/**
 * Reads raw JSON Schema nodes into typed shapes the differ compares, the way Confluent's loader
 * (everit) does: `$ref`s are followed; `enum`, `const`, `allOf`/`anyOf`/`oneOf`, `not` and the
 * type-specific keywords each make one part, and a node with several parts is a synthetic `allOf`
 * of them; without `type`, the keywords present imply it (`properties` means object, `minLength`
 * string, ...). Shapes are cached per node, so a recursive schema yields a finite graph of shapes
 * and shape identity is a sound memo key.
 */
import { createRefResolver, isJsonObject, type TJsonObject } from "./refs";

/** A loaded document: turns any schema node inside it into a shape. */
export type TSchemaDoc = { load(node: unknown): TShape };

export type TMeta = { id?: string; title?: string; description?: string; default?: unknown; hasDefault: boolean };

/** Whether a content model admits members it does not name: not at all, anything, or members matching `schema`. */
export type TAdditional = { permits: boolean; schema?: unknown };

/** A subschema of a combined shape: a raw node (loaded on demand) or a part split off a node. */
export type TSub = { raw: unknown } | { shape: TShape };

type TBase = { doc: TSchemaDoc; meta: TMeta };

export type TStringShape = TBase & { kind: "string"; minLength?: number; maxLength?: number; pattern?: string; format?: string };
export type TNumberShape = TBase & {
  kind: "number";
  integer: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
};
export type TObjectShape = TBase & {
  kind: "object";
  properties: Map<string, unknown>;
  required: Set<string>;
  patternProperties: Map<string, unknown>;
  additional: TAdditional;
  propertyDependencies: Map<string, string[]>;
  schemaDependencies: Map<string, unknown>;
  /** True when the draft-7 `dependencies` keyword is used (rather than `dependentRequired`/`dependentSchemas`). */
  legacyDependencies: boolean;
  minProperties?: number;
  maxProperties?: number;
};
export type TArrayShape = TBase & {
  kind: "array";
  /** `items` as one schema for every item. */
  items?: unknown;
  /** Positional item schemas (`items` as an array, or `prefixItems`). */
  tuple: unknown[];
  tupleKeyword: "items" | "prefixItems";
  /** Items past the tuple (`additionalItems`, or `items` next to `prefixItems`). */
  additional: TAdditional;
  additionalKeyword: "additionalItems" | "items";
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  minContains?: number;
  maxContains?: number;
};
export type TEnumShape = TBase & { kind: "enum"; values: unknown[]; keyword: "enum" | "const" };
export type TCombinedShape = TBase & {
  kind: "combined";
  criterion: "allOf" | "anyOf" | "oneOf";
  subschemas: TSub[];
  /** Made by the loader (several keywords in one node, or a list of types), not written by the author. */
  synthetic: boolean;
};
export type TNotShape = TBase & { kind: "not"; schema: unknown };

export type TShape =
  | (TBase & { kind: "empty" })
  | (TBase & { kind: "false" })
  | (TBase & { kind: "boolean" })
  | (TBase & { kind: "null" })
  | (TBase & { kind: "unresolved"; ref: string })
  | TStringShape
  | TNumberShape
  | TObjectShape
  | TArrayShape
  | TEnumShape
  | TCombinedShape
  | TNotShape;

export type TShapeKind = TShape["kind"];

const ARRAY_KEYWORDS = ["items", "additionalItems", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains"];
const OBJECT_KEYWORDS = [
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "dependencies",
  "dependentRequired",
  "dependentSchemas",
  "minProperties",
  "maxProperties",
  "propertyNames",
];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const STRING_KEYWORDS = ["minLength", "maxLength", "pattern", "format"];
const SNIFFED_FAMILIES: [string, string[]][] = [
  ["array", ARRAY_KEYWORDS],
  ["object", OBJECT_KEYWORDS],
  ["number", NUMBER_KEYWORDS],
  ["string", STRING_KEYWORDS],
];

/** Keywords that describe or hold definitions but do not constrain the instance. */
const NON_VALIDATING = new Set([
  "$schema",
  "$id",
  "id",
  "$anchor",
  "$dynamicAnchor",
  "$comment",
  "$defs",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
  "discriminator",
  "xml",
  "externalDocs",
]);

/** True when `node` constrains nothing (`true`, `{}`, or only annotations). */
export function isTrivialSchema(node: unknown): boolean {
  if (node === true) return true;
  if (!isJsonObject(node)) return false;
  return Object.keys(node).every((k) => NON_VALIDATING.has(k) || k.startsWith("x-"));
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function readMeta(node: TJsonObject): TMeta {
  const hasDefault = Object.hasOwn(node, "default");
  return {
    id: str(node.$id) ?? str(node.id),
    title: str(node.title),
    description: str(node.description),
    default: hasDefault ? node.default : undefined,
    hasDefault,
  };
}

const NO_META: TMeta = { hasDefault: false };

function additionalOf(value: unknown): TAdditional {
  if (value === false) return { permits: false };
  if (value === undefined || isTrivialSchema(value)) return { permits: true };
  return { permits: true, schema: value };
}

function entriesOf(value: unknown): Map<string, unknown> {
  return new Map(isJsonObject(value) ? Object.entries(value) : []);
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function objectShape(doc: TSchemaDoc, node: TJsonObject): TObjectShape {
  const propertyDependencies = new Map<string, string[]>();
  const schemaDependencies = new Map<string, unknown>();
  const addDependencies = (value: unknown, only?: "array" | "schema") => {
    for (const [key, dep] of entriesOf(value)) {
      if (Array.isArray(dep) && only !== "schema") propertyDependencies.set(key, stringsOf(dep));
      else if (!Array.isArray(dep) && only !== "array") schemaDependencies.set(key, dep);
    }
  };
  addDependencies(node.dependencies);
  addDependencies(node.dependentRequired, "array");
  addDependencies(node.dependentSchemas, "schema");
  return {
    kind: "object",
    doc,
    meta: NO_META,
    properties: entriesOf(node.properties),
    required: new Set(stringsOf(node.required)),
    patternProperties: entriesOf(node.patternProperties),
    additional: additionalOf(node.additionalProperties),
    propertyDependencies,
    schemaDependencies,
    legacyDependencies: node.dependencies !== undefined,
    minProperties: num(node.minProperties),
    maxProperties: num(node.maxProperties),
  };
}

function arrayShape(doc: TSchemaDoc, node: TJsonObject): TArrayShape {
  const common = {
    kind: "array" as const,
    doc,
    meta: NO_META,
    minItems: num(node.minItems),
    maxItems: num(node.maxItems),
    uniqueItems: node.uniqueItems === true,
    minContains: num(node.minContains),
    maxContains: num(node.maxContains),
  };
  if (Array.isArray(node.prefixItems)) {
    return { ...common, tuple: node.prefixItems, tupleKeyword: "prefixItems", additional: additionalOf(node.items), additionalKeyword: "items" };
  }
  if (Array.isArray(node.items)) {
    return { ...common, tuple: node.items, tupleKeyword: "items", additional: additionalOf(node.additionalItems), additionalKeyword: "additionalItems" };
  }
  return {
    ...common,
    items: node.items === undefined || isTrivialSchema(node.items) ? undefined : node.items,
    tuple: [],
    tupleKeyword: "items",
    additional: additionalOf(node.additionalItems),
    additionalKeyword: "additionalItems",
  };
}

function numberShape(doc: TSchemaDoc, node: TJsonObject, integer: boolean): TNumberShape {
  let minimum = num(node.minimum);
  let maximum = num(node.maximum);
  let exclusiveMinimum = num(node.exclusiveMinimum);
  let exclusiveMaximum = num(node.exclusiveMaximum);
  // Draft 4 (and OpenAPI 3.0): a boolean exclusiveMinimum/Maximum makes minimum/maximum exclusive.
  if (node.exclusiveMinimum === true && minimum !== undefined) [exclusiveMinimum, minimum] = [minimum, undefined];
  if (node.exclusiveMaximum === true && maximum !== undefined) [exclusiveMaximum, maximum] = [maximum, undefined];
  return { kind: "number", doc, meta: NO_META, integer, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf: num(node.multipleOf) };
}

function typedShape(doc: TSchemaDoc, node: TJsonObject, type: string): TShape {
  switch (type) {
    case "string":
      return {
        kind: "string",
        doc,
        meta: NO_META,
        minLength: num(node.minLength),
        maxLength: num(node.maxLength),
        pattern: str(node.pattern),
        format: str(node.format),
      };
    case "number":
    case "integer":
      return numberShape(doc, node, type === "integer");
    case "object":
      return objectShape(doc, node);
    case "array":
      return arrayShape(doc, node);
    case "boolean":
    case "null":
      return { kind: type, doc, meta: NO_META };
    default:
      return { kind: "empty", doc, meta: NO_META };
  }
}

function classify(doc: TSchemaDoc, node: TJsonObject): TShape {
  const parts: TShape[] = [];
  if (Array.isArray(node.enum)) parts.push({ kind: "enum", doc, meta: NO_META, values: node.enum, keyword: "enum" });
  for (const criterion of ["allOf", "anyOf", "oneOf"] as const) {
    const list = node[criterion];
    if (Array.isArray(list)) {
      parts.push({ kind: "combined", doc, meta: NO_META, criterion, subschemas: list.map((raw) => ({ raw })), synthetic: false });
    }
  }
  if (Object.hasOwn(node, "not")) parts.push({ kind: "not", doc, meta: NO_META, schema: node.not });
  if (Object.hasOwn(node, "const")) parts.push({ kind: "enum", doc, meta: NO_META, values: [node.const], keyword: "const" });
  if (typeof node.type === "string") {
    parts.push(typedShape(doc, node, node.type));
  } else if (Array.isArray(node.type)) {
    const subschemas = stringsOf(node.type).map((t) => ({ shape: typedShape(doc, node, t) }));
    parts.push({ kind: "combined", doc, meta: NO_META, criterion: "anyOf", subschemas, synthetic: true });
  } else {
    for (const [family, keywords] of SNIFFED_FAMILIES) {
      if (keywords.some((k) => Object.hasOwn(node, k))) parts.push(typedShape(doc, node, family));
    }
  }
  const meta = readMeta(node);
  if (parts.length === 0) return { kind: "empty", doc, meta };
  if (parts.length === 1) return { ...parts[0]!, meta };
  return { kind: "combined", doc, meta, criterion: "allOf", subschemas: parts.map((shape) => ({ shape })), synthetic: true };
}

function declaresLegacyDraft(root: unknown): boolean {
  const schema = isJsonObject(root) ? root.$schema : undefined;
  return typeof schema === "string" && /draft-0[3-7]/.test(schema);
}

/**
 * Loads schema nodes of one document. `$ref` siblings that constrain are honoured (2019-09 and
 * later; the `$ref` and its siblings form an `allOf`) unless the document declares draft 7 or
 * earlier, where siblings of `$ref` are ignored.
 */
export function createSchemaDoc(root: unknown): TSchemaDoc {
  const resolver = createRefResolver(root);
  const legacyRefs = declaresLegacyDraft(root);
  const cache = new WeakMap<object, TShape>();
  const resolving = new Set<object>();
  const doc: TSchemaDoc = { load };
  const trueShape: TShape = { kind: "empty", doc, meta: NO_META };
  const falseShape: TShape = { kind: "false", doc, meta: NO_META };

  function loadRef(node: TJsonObject, ref: string): TShape {
    const target = resolver.resolve(ref);
    if (target === undefined || (typeof target === "object" && target !== null && resolving.has(target))) {
      return { kind: "unresolved", doc, meta: readMeta(node), ref };
    }
    const siblings = Object.fromEntries(Object.entries(node).filter(([k]) => k !== "$ref"));
    if (legacyRefs || isTrivialSchema(siblings)) return load(target);
    return {
      kind: "combined",
      doc,
      meta: NO_META,
      criterion: "allOf",
      subschemas: [{ raw: target }, { shape: classify(doc, siblings) }],
      synthetic: true,
    };
  }

  function load(node: unknown): TShape {
    if (node === false) return falseShape;
    if (!isJsonObject(node)) return trueShape;
    const cached = cache.get(node);
    if (cached) return cached;
    let shape: TShape;
    if (typeof node.$ref === "string") {
      resolving.add(node);
      try {
        shape = loadRef(node, node.$ref);
      } finally {
        resolving.delete(node);
      }
    } else {
      shape = classify(doc, node);
    }
    cache.set(node, shape);
    return shape;
  }

  return doc;
}

/** The shapes of a combined shape's subschemas. */
export function subschemaShapes(shape: TCombinedShape): TShape[] {
  return shape.subschemas.map((sub) => ("raw" in sub ? shape.doc.load(sub.raw) : sub.shape));
}
