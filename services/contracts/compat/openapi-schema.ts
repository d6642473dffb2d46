/**
 * Compares two OpenAPI schemas (a parameter's, a body's or a header's) the way a client sees them:
 * in a request, narrowing what the server accepts breaks clients; in a response, widening what
 * the server returns does. `$ref`s are followed (recursive ones included: each pair of schemas is
 * compared once), `allOf` is flattened, `nullable` (3.0) and `type: [..., "null"]` (3.1) are the
 * same thing, and `readOnly`/`writeOnly` properties are ignored where they do not travel.
 */
import { schemaCheckId, type TSchemaCheckKind, type TSchemaPrefix } from "./openapi-checks";
import { canonicalJson, createRefResolver, isJsonObject, type TJsonObject } from "./refs";

export type TBoundValue = { value: number; exclusive: boolean };

/** What the differ needs to know about one schema, with `$ref` and `allOf` already applied. */
export type TSchemaView = {
  /** Identity of the schema, for cycle detection. */
  node: object;
  /** Allowed types including "null"; undefined means any. */
  types?: Set<string>;
  format?: string;
  /** Canonical JSON of each allowed value; undefined means no enum. */
  enumValues?: Map<string, unknown>;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: TBoundValue;
  maximum?: TBoundValue;
  minItems?: number;
  maxItems?: number;
  properties: Map<string, unknown>;
  required: Set<string>;
  items?: unknown;
  additionalProperties?: unknown;
  oneOf?: unknown[];
  anyOf?: unknown[];
  readOnly: boolean;
  writeOnly: boolean;
  hasDefault: boolean;
};

/** A parsed OpenAPI document with `$ref` resolution. */
export type TOpenApiDoc = {
  root: TJsonObject;
  /** Follows `$ref` chains; undefined when a reference leads nowhere. */
  deref(node: unknown): unknown;
  /** The schema view of a schema node; undefined when its `$ref` leads nowhere. */
  view(node: unknown): TSchemaView | undefined;
};

const ANNOTATIONS = new Set(["description", "summary", "title", "example", "examples", "deprecated", "externalDocs", "xml", "$comment"]);

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function lowerBound(node: TJsonObject): TBoundValue | undefined {
  if (typeof node.exclusiveMinimum === "number") return { value: node.exclusiveMinimum, exclusive: true };
  const value = num(node.minimum);
  return value === undefined ? undefined : { value, exclusive: node.exclusiveMinimum === true };
}

function upperBound(node: TJsonObject): TBoundValue | undefined {
  if (typeof node.exclusiveMaximum === "number") return { value: node.exclusiveMaximum, exclusive: true };
  const value = num(node.maximum);
  return value === undefined ? undefined : { value, exclusive: node.exclusiveMaximum === true };
}

function ownView(node: TJsonObject): TSchemaView {
  let types: Set<string> | undefined;
  if (typeof node.type === "string") types = new Set([node.type]);
  else if (Array.isArray(node.type)) types = new Set(node.type.filter((t): t is string => typeof t === "string"));
  if (types && node.nullable === true) types.add("null");
  let enumValues: Map<string, unknown> | undefined;
  const values = Array.isArray(node.enum) ? node.enum : Object.hasOwn(node, "const") ? [node.const] : undefined;
  if (values) enumValues = new Map(values.map((v) => [canonicalJson(v), v]));
  return {
    node,
    types,
    format: typeof node.format === "string" ? node.format : undefined,
    enumValues,
    pattern: typeof node.pattern === "string" ? node.pattern : undefined,
    minLength: num(node.minLength),
    maxLength: num(node.maxLength),
    minimum: lowerBound(node),
    maximum: upperBound(node),
    minItems: num(node.minItems),
    maxItems: num(node.maxItems),
    properties: new Map(isJsonObject(node.properties) ? Object.entries(node.properties) : []),
    required: new Set(Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === "string") : []),
    items: node.items,
    additionalProperties: isJsonObject(node.additionalProperties) ? node.additionalProperties : undefined,
    oneOf: Array.isArray(node.oneOf) ? node.oneOf : undefined,
    anyOf: Array.isArray(node.anyOf) ? node.anyOf : undefined,
    readOnly: node.readOnly === true,
    writeOnly: node.writeOnly === true,
    hasDefault: Object.hasOwn(node, "default"),
  };
}

function intersectTypes(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const result = new Set<string>();
  for (const t of a) {
    if (b.has(t)) result.add(t);
    else if (t === "integer" && b.has("number")) result.add("integer");
    else if (t === "number" && b.has("integer")) result.add("integer");
  }
  return result;
}

/** The view of `allOf: [a, b]`: members' properties and required lists joined, their constraints combined. */
function mergeViews(node: object, views: TSchemaView[]): TSchemaView {
  const merged: TSchemaView = { ...views[0]!, node, properties: new Map(), required: new Set() };
  for (const v of views) {
    merged.types = intersectTypes(merged.types, v.types);
    for (const [k, p] of v.properties) if (!merged.properties.has(k)) merged.properties.set(k, p);
    for (const r of v.required) merged.required.add(r);
    merged.format ??= v.format;
    merged.enumValues ??= v.enumValues;
    merged.pattern ??= v.pattern;
    merged.minLength ??= v.minLength;
    merged.maxLength ??= v.maxLength;
    merged.minimum ??= v.minimum;
    merged.maximum ??= v.maximum;
    merged.minItems ??= v.minItems;
    merged.maxItems ??= v.maxItems;
    merged.items ??= v.items;
    merged.additionalProperties ??= v.additionalProperties;
    merged.oneOf ??= v.oneOf;
    merged.anyOf ??= v.anyOf;
    merged.readOnly ||= v.readOnly;
    merged.writeOnly ||= v.writeOnly;
    merged.hasDefault ||= v.hasDefault;
  }
  return merged;
}

const MAX_REF_HOPS = 64;

/** Wraps a parsed OpenAPI document (3.0 or 3.1) for the differ. */
export function createOpenApiDoc(root: TJsonObject): TOpenApiDoc {
  const resolver = createRefResolver(root);
  const cache = new WeakMap<object, TSchemaView>();
  const building = new Set<object>();

  function deref(node: unknown): unknown {
    let current = node;
    for (let hop = 0; hop < MAX_REF_HOPS; hop++) {
      if (!isJsonObject(current) || typeof current.$ref !== "string") return current;
      current = resolver.resolve(current.$ref);
    }
    return undefined;
  }

  function build(node: TJsonObject): TSchemaView | undefined {
    if (typeof node.$ref === "string") {
      const target = view(resolver.resolve(node.$ref));
      if (!target) return undefined;
      // OpenAPI 3.1 (JSON Schema 2020-12) applies siblings of `$ref` too.
      const siblings = Object.fromEntries(Object.entries(node).filter(([k]) => k !== "$ref"));
      if (Object.keys(siblings).every((k) => ANNOTATIONS.has(k) || k.startsWith("x-"))) return target;
      return mergeViews(node, [target, ownView(siblings)]);
    }
    if (!Array.isArray(node.allOf)) return ownView(node);
    const members = node.allOf.map((m) => view(m)).filter((v): v is TSchemaView => v !== undefined);
    return mergeViews(node, [ownView(node), ...members]);
  }

  function view(node: unknown): TSchemaView | undefined {
    if (node === true || node === undefined) return ownView({});
    if (!isJsonObject(node)) return undefined;
    const cached = cache.get(node);
    if (cached) return cached;
    // A schema that reaches itself through `allOf`/`$ref` alone constrains nothing more on the way round.
    if (building.has(node)) return { ...ownView({}), node };
    building.add(node);
    try {
      const result = build(node);
      if (result) cache.set(node, result);
      return result;
    } finally {
      building.delete(node);
    }
  }

  return { root, deref, view };
}

/** Where a schema sits, and how to name it in messages. */
export type TSchemaLocation = {
  direction: "request" | "response";
  /** Id prefix for the schema itself and for what is nested in it. */
  rootPrefix: TSchemaPrefix;
  nestedPrefix: TSchemaPrefix;
  /** Names the location: `property` is "" for the schema itself, else a path like `address.lines[]`. */
  subject(property: string): string;
  /** Pointer segments of the schema in the document. */
  pointer: string[];
};

/** One schema-level finding; `path` holds pointer segments. */
export type TSchemaFinding = { id: string; path: string[]; message: string };

/** Formats property segments as `a.b[].c`. */
export function formatProperty(segments: readonly string[]): string {
  return segments.reduce((acc, s) => (s === "[]" ? `${acc}[]` : acc ? `${acc}.${s}` : s), "");
}

function formatTypes(types: Set<string> | undefined): string {
  return types ? [...types].sort().join("|") || "nothing" : "any";
}

function formatBound(bound: TBoundValue | number | undefined): string {
  if (bound === undefined) return "none";
  if (typeof bound === "number") return String(bound);
  return bound.exclusive ? `${bound.value} (exclusive)` : String(bound.value);
}

function covers(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === "integer" && types.has("number"));
}

/** -1: `b` is tighter than `a`, 1: looser, 0: same. Upper bounds: lower is tighter. */
function compareUpper(a: TBoundValue | undefined, b: TBoundValue | undefined): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  if (a.value !== b.value) return b.value < a.value ? -1 : 1;
  if (a.exclusive === b.exclusive) return 0;
  return b.exclusive ? -1 : 1;
}

function compareLower(a: TBoundValue | undefined, b: TBoundValue | undefined): number {
  const flip = (x: TBoundValue | undefined) => (x ? { value: -x.value, exclusive: x.exclusive } : undefined);
  return compareUpper(flip(a), flip(b));
}

function asBound(value: number | undefined): TBoundValue | undefined {
  return value === undefined ? undefined : { value, exclusive: false };
}

const MAX_SCHEMA_VISITS = 20_000;

function mark(pairs: Map<object, Set<object>>, a: object, b: object, on: boolean): void {
  let set = pairs.get(a);
  if (!set) pairs.set(a, (set = new Set()));
  if (on) set.add(b);
  else set.delete(b);
}

/** Compares the schema `oldNode` of `oldDoc` with `newNode` of `newDoc` at `location`. */
export function diffOpenApiSchemas(oldDoc: TOpenApiDoc, oldNode: unknown, newDoc: TOpenApiDoc, newNode: unknown, location: TSchemaLocation): TSchemaFinding[] {
  const findings: TSchemaFinding[] = [];
  // Pairs on the current path stop recursion ($ref cycles); pairs done elsewhere are compared
  // again (a component used by two properties is reported under both) until the budget runs out.
  const onPath = new Map<object, Set<object>>();
  const done = new Map<object, Set<object>>();
  let budget = MAX_SCHEMA_VISITS;
  const request = location.direction === "request";

  const walk = (oNode: unknown, nNode: unknown, property: string[], pointer: string[]): void => {
    const o = oldDoc.view(oNode);
    const n = newDoc.view(nNode);
    if (!o || !n) return;
    if (onPath.get(o.node)?.has(n.node) || (budget <= 0 && done.get(o.node)?.has(n.node))) return;
    budget--;
    mark(onPath, o.node, n.node, true);
    try {
      compareViews(o, n, property, pointer);
    } finally {
      mark(onPath, o.node, n.node, false);
      mark(done, o.node, n.node, true);
    }
  };

  const compareViews = (o: TSchemaView, n: TSchemaView, property: string[], pointer: string[]): void => {

    const prefix = property.length === 0 ? location.rootPrefix : location.nestedPrefix;
    const subject = location.subject(formatProperty(property));
    const emit = (kind: TSchemaCheckKind, message: string) => findings.push({ id: schemaCheckId(prefix, kind), path: pointer, message: `${subject} ${message}` });
    const emitId = (id: string, childSubject: string, message: string, childPointer: string[]) => findings.push({ id, path: childPointer, message: `${childSubject} ${message}` });

    if (!compareTypes(o, n, emit)) return;
    compareFormat(o.format, n.format, emit);
    compareEnum(o, n, emit);
    compareBounds(o, n, emit);

    for (const name of [...new Set([...o.properties.keys(), ...n.properties.keys()])].sort()) {
      const childProperty = [...property, name];
      const childPointer = [...pointer, "properties", name];
      const childSubject = location.subject(formatProperty(childProperty));
      const oRaw = o.properties.get(name);
      const nRaw = n.properties.get(name);
      const oChild = o.properties.has(name) ? oldDoc.view(oRaw) : undefined;
      const nChild = n.properties.has(name) ? newDoc.view(nRaw) : undefined;
      // readOnly properties are never sent in requests; writeOnly ones never come back in responses.
      const travels = (v: TSchemaView | undefined) => !v || (request ? !v.readOnly : !v.writeOnly);
      if (!travels(oChild) || !travels(nChild)) continue;
      const was = o.required.has(name);
      const is = n.required.has(name);
      if (!n.properties.has(name)) {
        if (request) emitId("request-property-removed", childSubject, "was removed", childPointer);
        else emitId(was ? "response-property-removed" : "response-optional-property-removed", childSubject, `was removed${was ? " (it was required)" : ""}`, childPointer);
      } else if (!o.properties.has(name)) {
        if (request) {
          const id = !is ? "new-optional-request-property" : nChild?.hasDefault ? "new-required-request-property-with-default" : "new-required-request-property";
          emitId(id, childSubject, `was added${is ? " as required" : ""}`, childPointer);
        } else {
          emitId(is ? "response-required-property-added" : "response-optional-property-added", childSubject, `was added${is ? " as required" : ""}`, childPointer);
        }
      } else {
        if (was !== is) {
          const id = request ? (is ? "request-property-became-required" : "request-property-became-optional") : is ? "response-property-became-required" : "response-property-became-optional";
          emitId(id, childSubject, is ? "became required" : "became optional", childPointer);
        }
        walk(oRaw, nRaw, childProperty, childPointer);
      }
    }

    if (o.items !== undefined && n.items !== undefined) walk(o.items, n.items, [...property, "[]"], [...pointer, "items"]);
    if (o.additionalProperties !== undefined && n.additionalProperties !== undefined) {
      walk(o.additionalProperties, n.additionalProperties, [...property, "*"], [...pointer, "additionalProperties"]);
    }
    compareAlternatives("oneOf", o.oneOf, n.oneOf, property, pointer, emit, walk);
    compareAlternatives("anyOf", o.anyOf, n.anyOf, property, pointer, emit, walk);
  };

  /** Returns false when the types are incompatible (nothing below is worth comparing). */
  function compareTypes(o: TSchemaView, n: TSchemaView, emit: (kind: TSchemaCheckKind, message: string) => void): boolean {
    if (o.types && n.types) {
      const oNull = o.types.has("null");
      const nNull = n.types.has("null");
      if (oNull !== nNull) emit(nNull ? "became-nullable" : "became-not-nullable", nNull ? "became nullable" : "is no longer nullable");
    }
    const strip = (t: Set<string> | undefined) => (t ? new Set([...t].filter((x) => x !== "null")) : undefined);
    const oTypes = strip(o.types);
    const nTypes = strip(n.types);
    if (formatTypes(oTypes) === formatTypes(nTypes) || (oTypes?.size === 0 && nTypes?.size === 0)) return true;
    if (oTypes?.size === 0 || nTypes?.size === 0) return true; // only null on one side: nullability said it all
    const message = `changed type from ${formatTypes(oTypes)} to ${formatTypes(nTypes)}`;
    if (request) {
      const widened = !nTypes || (oTypes !== undefined && [...oTypes].every((t) => covers(nTypes, t)));
      emit(widened ? "type-generalized" : "type-changed", message);
      return widened;
    }
    const narrowed = !oTypes || (nTypes !== undefined && [...nTypes].every((t) => covers(oTypes, t)));
    emit(narrowed ? "type-specialized" : "type-changed", message);
    return narrowed;
  }

  function compareFormat(o: string | undefined, n: string | undefined, emit: (kind: TSchemaCheckKind, message: string) => void): void {
    if (o === n) return;
    if (o === undefined) emit("format-added", `now has the format ${n}`);
    else if (n === undefined) emit("format-removed", `no longer has the format ${o}`);
    else emit("format-changed", `changed format from ${o} to ${n}`);
  }

  function compareEnum(o: TSchemaView, n: TSchemaView, emit: (kind: TSchemaCheckKind, message: string) => void): void {
    if (!o.enumValues && !n.enumValues) return;
    if (!o.enumValues) return emit("became-enum", `was restricted to the values ${[...n.enumValues!.keys()].join(", ")}`);
    if (!n.enumValues) return emit("became-not-enum", "is no longer restricted to a list of values");
    for (const [key] of o.enumValues) if (!n.enumValues.has(key)) emit("enum-value-removed", `no longer allows the value ${key}`);
    for (const [key] of n.enumValues) if (!o.enumValues.has(key)) emit("enum-value-added", `now allows the value ${key}`);
  }

  function compareBounds(o: TSchemaView, n: TSchemaView, emit: (kind: TSchemaCheckKind, message: string) => void): void {
    const pairs: [string, number, TSchemaCheckKind, TSchemaCheckKind, TBoundValue | number | undefined, TBoundValue | number | undefined][] = [
      ["maxLength", compareUpper(asBound(o.maxLength), asBound(n.maxLength)), "max-length-decreased", "max-length-increased", o.maxLength, n.maxLength],
      ["minLength", compareLower(asBound(o.minLength), asBound(n.minLength)), "min-length-increased", "min-length-decreased", o.minLength, n.minLength],
      ["maximum", compareUpper(o.maximum, n.maximum), "max-decreased", "max-increased", o.maximum, n.maximum],
      ["minimum", compareLower(o.minimum, n.minimum), "min-increased", "min-decreased", o.minimum, n.minimum],
      ["maxItems", compareUpper(asBound(o.maxItems), asBound(n.maxItems)), "max-items-decreased", "max-items-increased", o.maxItems, n.maxItems],
      ["minItems", compareLower(asBound(o.minItems), asBound(n.minItems)), "min-items-increased", "min-items-decreased", o.minItems, n.minItems],
    ];
    for (const [keyword, order, tighter, looser, before, after] of pairs) {
      if (order !== 0) emit(order < 0 ? tighter : looser, `changed ${keyword} from ${formatBound(before)} to ${formatBound(after)}`);
    }
    if (o.pattern !== n.pattern) {
      if (o.pattern === undefined) emit("pattern-added", `now must match the pattern ${n.pattern}`);
      else if (n.pattern === undefined) emit("pattern-removed", `no longer must match the pattern ${o.pattern}`);
      else emit("pattern-changed", `changed pattern from ${o.pattern} to ${n.pattern}`);
    }
  }

  walk(oldNode, newNode, [], location.pointer);
  return findings;
}

function alternativeKey(node: unknown, index: number): string {
  return isJsonObject(node) && typeof node.$ref === "string" ? node.$ref : `#${index}`;
}

/** Alternatives are matched by `$ref` when they are references, else by position. */
function compareAlternatives(
  keyword: "oneOf" | "anyOf",
  o: unknown[] | undefined,
  n: unknown[] | undefined,
  property: string[],
  pointer: string[],
  emit: (kind: TSchemaCheckKind, message: string) => void,
  walk: (o: unknown, n: unknown, property: string[], pointer: string[]) => void,
): void {
  if (!o || !n) return;
  const removed: TSchemaCheckKind = keyword === "oneOf" ? "one-of-removed" : "any-of-removed";
  const added: TSchemaCheckKind = keyword === "oneOf" ? "one-of-added" : "any-of-added";
  const oKeys = new Map(o.map((node, i) => [alternativeKey(node, i), { node, i }]));
  const nKeys = new Map(n.map((node, i) => [alternativeKey(node, i), { node, i }]));
  for (const [key, { node, i }] of oKeys) {
    const match = nKeys.get(key);
    if (match) walk(node, match.node, property, [...pointer, keyword, String(match.i)]);
    else emit(removed, `no longer accepts the ${keyword} alternative ${key.startsWith("#") ? `#${i + 1}` : key}`);
  }
  for (const [key, { i }] of nKeys) {
    if (!oKeys.has(key)) emit(added, `has a new ${keyword} alternative ${key.startsWith("#") ? `#${i + 1}` : key}`);
  }
}
