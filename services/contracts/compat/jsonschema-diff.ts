/**
 * The JSON Schema differ: lists the differences from a writer's schema ("original") to a
 * reader's schema ("update") with the semantics of Confluent Schema Registry's SchemaDiff
 * (https://github.com/confluentinc/schema-registry, json-schema-provider, `json/diff/`), so that
 * its verdicts agree with the registry's. Independent implementation; see
 * tests/conformance/README.md for the upstream examples it is checked against.
 *
 * Recursion: comparisons are memoized per pair of shapes. A pair met again while it is still
 * being compared is assumed compatible (a coinductive guess); when any such guess was made, the
 * comparison is repeated with every pair found incompatible fed back in, until nothing changes
 * (a greatest fixed point), so a memoized guess never hides a real incompatibility.
 */
import {
  compatibleChanges,
  type TDifference,
  type TDifferenceType,
  type TRuleSet,
} from "./jsonschema-differences";
import {
  createSchemaDoc,
  subschemaShapes,
  type TAdditional,
  type TArrayShape,
  type TCombinedShape,
  type TNumberShape,
  type TObjectShape,
  type TSchemaDoc,
  type TShape,
  type TStringShape,
} from "./jsonschema-model";
import { canonicalJson, jsonEqual } from "./refs";

type TPairMap = Map<TShape, Map<TShape, TDifference[]>>;

type TState = {
  compatible: ReadonlySet<TDifferenceType>;
  memo: TPairMap;
  inProgress: Map<TShape, Set<TShape>>;
  /** Results of pairs found incompatible in an earlier round, used instead of the optimistic guess. */
  assumed: TPairMap;
  guessed: boolean;
};

type TCtx = { st: TState; path: string[]; diffs: TDifference[] };

function getPair(map: TPairMap, o: TShape, u: TShape): TDifference[] | undefined {
  return map.get(o)?.get(u);
}

function setPair(map: TPairMap, o: TShape, u: TShape, value: TDifference[]): void {
  let inner = map.get(o);
  if (!inner) map.set(o, (inner = new Map()));
  inner.set(u, value);
}

function add(ctx: TCtx, type: TDifferenceType, ...segments: string[]): void {
  ctx.diffs.push({ type, path: [...ctx.path, ...segments] });
}

function subcontext(ctx: TCtx): TCtx {
  return { st: ctx.st, path: [...ctx.path], diffs: [] };
}

function within(ctx: TCtx, segments: readonly string[], fn: () => void): void {
  ctx.path.push(...segments);
  try {
    fn();
  } finally {
    ctx.path.length -= segments.length;
  }
}

function allCompatible(st: TState, diffs: readonly TDifference[]): boolean {
  return diffs.every((d) => st.compatible.has(d.type));
}

/** Compares two shapes, adding the differences at the context's path. */
function compare(ctx: TCtx, o: TShape, u: TShape): void {
  for (const d of comparePair(ctx.st, o, u)) ctx.diffs.push({ type: d.type, path: [...ctx.path, ...d.path] });
}

/** Compares two optional child schemas (raw nodes of their documents). */
function compareChild(ctx: TCtx, oDoc: TSchemaDoc, o: unknown, uDoc: TSchemaDoc, u: unknown): void {
  if (o === undefined && u === undefined) return;
  if (o === undefined) return add(ctx, "SCHEMA_ADDED");
  if (u === undefined) return add(ctx, "SCHEMA_REMOVED");
  compare(ctx, oDoc.load(o), uDoc.load(u));
}

function comparePair(st: TState, o: TShape, u: TShape): TDifference[] {
  const memoized = getPair(st.memo, o, u);
  if (memoized) return memoized;
  const active = st.inProgress.get(o);
  if (active?.has(u)) {
    st.guessed = true;
    return getPair(st.assumed, o, u) ?? [];
  }
  if (active) active.add(u);
  else st.inProgress.set(o, new Set([u]));
  const ctx: TCtx = { st, path: [], diffs: [] };
  try {
    compareShapes(ctx, o, u);
  } finally {
    st.inProgress.get(o)!.delete(u);
  }
  setPair(st.memo, o, u, ctx.diffs);
  return ctx.diffs;
}

function compareShapes(ctx: TCtx, o: TShape, u: TShape): void {
  if (o.kind !== "combined" && u.kind === "combined") {
    const subs = subschemaShapes(u);
    if (subs.length === 1) {
      const sc = subcontext(ctx);
      compare(sc, o, subs[0]!);
      if (allCompatible(ctx.st, sc.diffs)) return void ctx.diffs.push(...sc.diffs);
    } else if (u.criterion !== "allOf") {
      // Reading a value of one type with a union that includes a compatible member.
      for (const sub of subs) {
        const sc = subcontext(ctx);
        compare(sc, o, sub);
        if (allCompatible(ctx.st, sc.diffs)) {
          ctx.diffs.push(...sc.diffs);
          return add(ctx, "SUM_TYPE_EXTENDED");
        }
      }
    }
  } else if (o.kind === "combined" && u.kind !== "combined") {
    const subs = subschemaShapes(o);
    if (subs.length === 1) {
      const sc = subcontext(ctx);
      compare(sc, subs[0]!, u);
      if (allCompatible(ctx.st, sc.diffs)) return void ctx.diffs.push(...sc.diffs);
    } else if (o.criterion === "allOf") {
      // Dropping conjuncts only relaxes: fine when one conjunct alone reads compatibly.
      for (const sub of subs) {
        const sc = subcontext(ctx);
        compare(sc, sub, u);
        if (allCompatible(ctx.st, sc.diffs)) {
          ctx.diffs.push(...sc.diffs);
          return add(ctx, "PRODUCT_TYPE_NARROWED");
        }
      }
    }
  }

  if (o.kind !== u.kind) {
    // Nothing was valid before, or anything is valid now: no reader can fail.
    if (o.kind === "false" || u.kind === "empty") return;
    return add(ctx, "TYPE_CHANGED");
  }

  if (o.meta.id !== u.meta.id) add(ctx, "ID_CHANGED");
  if (o.meta.title !== u.meta.title) add(ctx, "TITLE_CHANGED");
  if (o.meta.description !== u.meta.description) add(ctx, "DESCRIPTION_CHANGED");
  if (o.meta.hasDefault !== u.meta.hasDefault || !jsonEqual(o.meta.default, u.meta.default)) add(ctx, "DEFAULT_CHANGED");

  switch (o.kind) {
    case "string":
      return compareString(ctx, o, u as TStringShape);
    case "number":
      return compareNumber(ctx, o, u as TNumberShape);
    case "enum":
      return compareEnum(ctx, o.values, (u as typeof o).values, o.keyword === "const" && (u as typeof o).keyword === "const");
    case "combined":
      return compareCombined(ctx, o, u as TCombinedShape);
    case "not":
      return compareNot(ctx, o.doc.load(o.schema), u.doc.load((u as typeof o).schema));
    case "object":
      return compareObject(ctx, o, u as TObjectShape);
    case "array":
      return compareArray(ctx, o, u as TArrayShape);
    case "unresolved":
      if (o.ref !== (u as typeof o).ref) add(ctx, "TYPE_CHANGED");
      return;
    default:
      return;
  }
}

type TBoundTypes = { added: TDifferenceType; removed: TDifferenceType; increased: TDifferenceType; decreased: TDifferenceType };

function compareBound(ctx: TCtx, keyword: string, o: number | undefined, u: number | undefined, types: TBoundTypes): void {
  if (o === u) return;
  if (o === undefined) add(ctx, types.added, keyword);
  else if (u === undefined) add(ctx, types.removed, keyword);
  else if (o < u) add(ctx, types.increased, keyword);
  else add(ctx, types.decreased, keyword);
}

function bound(prefix: string): TBoundTypes {
  return {
    added: `${prefix}_ADDED` as TDifferenceType,
    removed: `${prefix}_REMOVED` as TDifferenceType,
    increased: `${prefix}_INCREASED` as TDifferenceType,
    decreased: `${prefix}_DECREASED` as TDifferenceType,
  };
}

function compareString(ctx: TCtx, o: TStringShape, u: TStringShape): void {
  compareBound(ctx, "maxLength", o.maxLength, u.maxLength, bound("MAX_LENGTH"));
  compareBound(ctx, "minLength", o.minLength, u.minLength, bound("MIN_LENGTH"));
  if (o.pattern === undefined && u.pattern !== undefined) add(ctx, "PATTERN_ADDED", "pattern");
  else if (o.pattern !== undefined && u.pattern === undefined) add(ctx, "PATTERN_REMOVED", "pattern");
  else if (o.pattern !== u.pattern) add(ctx, "PATTERN_CHANGED", "pattern");
  if (o.format === undefined && u.format !== undefined) add(ctx, "FORMAT_ADDED", "format");
  else if (o.format !== undefined && u.format === undefined) add(ctx, "FORMAT_REMOVED", "format");
  else if (o.format !== u.format) add(ctx, "FORMAT_CHANGED", "format");
}

/** True when `a` is an integer multiple of `b` (tolerating binary fractions like 0.1). */
function isMultipleOf(a: number, b: number): boolean {
  const ratio = a / b;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9 * Math.max(1, Math.abs(ratio));
}

function compareNumber(ctx: TCtx, o: TNumberShape, u: TNumberShape): void {
  compareBound(ctx, "maximum", o.maximum, u.maximum, bound("MAXIMUM"));
  compareBound(ctx, "minimum", o.minimum, u.minimum, bound("MINIMUM"));
  compareBound(ctx, "exclusiveMaximum", o.exclusiveMaximum, u.exclusiveMaximum, bound("EXCLUSIVE_MAXIMUM"));
  compareBound(ctx, "exclusiveMinimum", o.exclusiveMinimum, u.exclusiveMinimum, bound("EXCLUSIVE_MINIMUM"));
  if (o.multipleOf !== u.multipleOf) {
    if (o.multipleOf === undefined) add(ctx, "MULTIPLE_OF_ADDED", "multipleOf");
    else if (u.multipleOf === undefined) add(ctx, "MULTIPLE_OF_REMOVED", "multipleOf");
    else if (isMultipleOf(u.multipleOf, o.multipleOf)) add(ctx, "MULTIPLE_OF_EXPANDED", "multipleOf");
    else if (isMultipleOf(o.multipleOf, u.multipleOf)) add(ctx, "MULTIPLE_OF_REDUCED", "multipleOf");
    else add(ctx, "MULTIPLE_OF_CHANGED", "multipleOf");
  }
  if (o.integer !== u.integer) add(ctx, o.integer ? "TYPE_EXTENDED" : "TYPE_NARROWED");
}

function compareEnum(ctx: TCtx, o: unknown[], u: unknown[], bothConst: boolean): void {
  const os = new Set(o.map(canonicalJson));
  const us = new Set(u.map(canonicalJson));
  const keyword = bothConst ? "const" : "enum";
  const uHasAllO = [...os].every((v) => us.has(v));
  const oHasAllU = [...us].every((v) => os.has(v));
  if (uHasAllO && oHasAllU) return;
  if (uHasAllO) add(ctx, "ENUM_ARRAY_EXTENDED", keyword);
  else if (oHasAllU) add(ctx, "ENUM_ARRAY_NARROWED", keyword);
  else add(ctx, "ENUM_ARRAY_CHANGED", keyword);
}

function compareNot(ctx: TCtx, o: TShape, u: TShape): void {
  within(ctx, ["not"], () => {
    // What the original excluded must still be excluded: compare the negated schemas reversed.
    const sc = subcontext(ctx);
    compare(sc, u, o);
    if (sc.diffs.length === 0) return;
    add(ctx, allCompatible(ctx.st, sc.diffs) ? "NOT_TYPE_NARROWED" : "NOT_TYPE_EXTENDED");
  });
}

function distinctSubschemas(shape: TCombinedShape): TShape[] {
  const seen = new Set<string>();
  const result: TShape[] = [];
  const shapes = subschemaShapes(shape);
  shape.subschemas.forEach((sub, i) => {
    const key = "raw" in sub ? canonicalJson(sub.raw) : `#part${i}`;
    if (seen.has(key)) return;
    seen.add(key);
    result.push(shapes[i]!);
  });
  return result;
}

function criterionChange(o: TCombinedShape, u: TCombinedShape): TDifferenceType | undefined {
  if (o.criterion === u.criterion) return undefined;
  if (u.criterion === "anyOf") return "COMBINED_TYPE_EXTENDED";
  const singleton = (s: TCombinedShape) => s.subschemas.length === 1;
  if (u.criterion === "oneOf") return singleton(o) ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
  return singleton(o) && singleton(u) ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
}

/** Maximum bipartite matching (Kuhn), preferring edges with fewer differences. Returns match[i] = j or -1. */
function maximumMatching(edges: (TDifference[] | undefined)[][], right: number): number[] {
  const matchOfRight = new Array<number>(right).fill(-1);
  const order = edges.map((row) =>
    row
      .map((diffs, j) => ({ j, weight: diffs?.length ?? -1 }))
      .filter((e) => e.weight >= 0)
      .sort((a, b) => a.weight - b.weight)
      .map((e) => e.j),
  );
  const tryAssign = (i: number, visited: boolean[]): boolean => {
    for (const j of order[i]!) {
      if (visited[j]) continue;
      visited[j] = true;
      if (matchOfRight[j] === -1 || tryAssign(matchOfRight[j]!, visited)) {
        matchOfRight[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < edges.length; i++) tryAssign(i, new Array<boolean>(right).fill(false));
  const match = new Array<number>(edges.length).fill(-1);
  matchOfRight.forEach((i, j) => {
    if (i >= 0) match[i] = j;
  });
  return match;
}

function compareCombined(ctx: TCtx, o: TCombinedShape, u: TCombinedShape): void {
  const change = criterionChange(o, u);
  if (change) add(ctx, change);
  if (change === "COMBINED_TYPE_CHANGED") return;
  const os = distinctSubschemas(o);
  const us = distinctSubschemas(u);
  if (os.length < us.length) add(ctx, u.criterion === "allOf" ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED");
  else if (os.length > us.length) add(ctx, u.criterion === "allOf" ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED");

  const edges = os.map((oi, i) => {
    const row: (TDifference[] | undefined)[] = [];
    // A synthetic combination has no keyword of its own to point at.
    within(ctx, o.synthetic ? [] : [o.criterion, String(i)], () => {
      for (const uj of us) {
        const sc = subcontext(ctx);
        compare(sc, oi, uj);
        row.push(allCompatible(ctx.st, sc.diffs) ? sc.diffs : undefined);
      }
    });
    return row;
  });
  const match = maximumMatching(edges, us.length);
  let matched = 0;
  match.forEach((j, i) => {
    if (j < 0) return;
    matched++;
    ctx.diffs.push(...edges[i]![j]!);
  });
  if (matched < Math.min(os.length, us.length)) add(ctx, "COMBINED_TYPE_SUBSCHEMAS_CHANGED");
}

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}

function matchesPattern(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern, "u").test(name);
  } catch {
    try {
      return new RegExp(pattern).test(name);
    } catch {
      return false;
    }
  }
}

type TCoverage = { kind: "open" } | { kind: "partial"; schema: unknown } | { kind: "closed" };

/** What an object says about a member it does not declare: anything goes, it must match a schema, or it is rejected. */
function propertyCoverage(shape: TObjectShape, name: string): TCoverage {
  for (const [pattern, schema] of shape.patternProperties) {
    if (matchesPattern(pattern, name)) return { kind: "partial", schema };
  }
  return additionalCoverage(shape.additional);
}

function additionalCoverage(additional: TAdditional): TCoverage {
  if (!additional.permits) return { kind: "closed" };
  if (additional.schema !== undefined) return { kind: "partial", schema: additional.schema };
  return { kind: "open" };
}

function hasDefault(raw: unknown, shape: TShape): boolean {
  return (typeof raw === "object" && raw !== null && Object.hasOwn(raw, "default")) || shape.meta.hasDefault;
}

function compareRequired(ctx: TCtx, o: TObjectShape, u: TObjectShape): void {
  within(ctx, ["required"], () => {
    for (const name of [...o.properties.keys()].sort()) {
      if (!u.properties.has(name)) continue;
      const was = o.required.has(name);
      const is = u.required.has(name);
      if (was && !is) add(ctx, "REQUIRED_ATTRIBUTE_REMOVED", name);
      else if (!was && is) {
        const raw = u.properties.get(name);
        add(ctx, hasDefault(raw, u.doc.load(raw)) ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" : "REQUIRED_ATTRIBUTE_ADDED", name);
      }
    }
  });
}

function propertyRemoved(ctx: TCtx, o: TObjectShape, u: TObjectShape, name: string, oRaw: unknown): void {
  const coverage = propertyCoverage(u, name);
  if (coverage.kind === "open") return add(ctx, "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL");
  if (coverage.kind === "partial") {
    const sc = subcontext(ctx);
    compare(sc, o.doc.load(oRaw), u.doc.load(coverage.schema));
    ctx.diffs.push(...sc.diffs);
    return add(
      ctx,
      allCompatible(ctx.st, sc.diffs)
        ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
        : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    );
  }
  add(ctx, o.doc.load(oRaw).kind === "false" ? "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" : "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
}

function propertyAdded(ctx: TCtx, o: TObjectShape, u: TObjectShape, name: string, uRaw: unknown): void {
  const shape = u.doc.load(uRaw);
  const required = u.required.has(name);
  const withDefault = hasDefault(uRaw, shape);
  const coverage = propertyCoverage(o, name);
  if (coverage.kind === "open") {
    if (shape.kind === "empty") return add(ctx, "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL");
    if (!required) return add(ctx, "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
    return add(ctx, withDefault ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL" : "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
  }
  if (coverage.kind === "partial") {
    const sc = subcontext(ctx);
    compare(sc, o.doc.load(coverage.schema), shape);
    ctx.diffs.push(...sc.diffs);
    add(
      ctx,
      allCompatible(ctx.st, sc.diffs)
        ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
        : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    );
  }
  if (!required) return add(ctx, "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL");
  add(ctx, withDefault ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL" : "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL");
}

function compareProperties(ctx: TCtx, o: TObjectShape, u: TObjectShape): void {
  within(ctx, ["properties"], () => {
    for (const name of sortedUnion(o.properties.keys(), u.properties.keys())) {
      within(ctx, [name], () => {
        const oRaw = o.properties.get(name);
        const uRaw = u.properties.get(name);
        if (!u.properties.has(name)) propertyRemoved(ctx, o, u, name, oRaw);
        else if (!o.properties.has(name)) propertyAdded(ctx, o, u, name, uRaw);
        else compare(ctx, o.doc.load(oRaw), u.doc.load(uRaw));
      });
    }
  });
}

/**
 * Not in Confluent's differ: a `patternProperties` entry added or removed changes what the content
 * model accepts for every matching name. Only the changes that can reject old data are reported.
 */
function comparePatternProperties(ctx: TCtx, o: TObjectShape, u: TObjectShape): void {
  for (const pattern of sortedUnion(o.patternProperties.keys(), u.patternProperties.keys())) {
    within(ctx, ["patternProperties", pattern], () => {
      const oRaw = o.patternProperties.get(pattern);
      const uRaw = u.patternProperties.get(pattern);
      if (o.patternProperties.has(pattern) && u.patternProperties.has(pattern)) {
        return compare(ctx, o.doc.load(oRaw), u.doc.load(uRaw));
      }
      if (u.patternProperties.has(pattern)) {
        const before = additionalCoverage(o.additional);
        if (before.kind === "open" && u.doc.load(uRaw).kind !== "empty") return add(ctx, "PATTERN_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
        if (before.kind === "partial") {
          const sc = subcontext(ctx);
          compare(sc, o.doc.load(before.schema), u.doc.load(uRaw));
          if (allCompatible(ctx.st, sc.diffs)) return;
          ctx.diffs.push(...sc.diffs);
          add(ctx, "PATTERN_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
        }
        return;
      }
      const after = additionalCoverage(u.additional);
      if (after.kind === "closed" && o.doc.load(oRaw).kind !== "false") return add(ctx, "PATTERN_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
      if (after.kind === "partial") {
        const sc = subcontext(ctx);
        compare(sc, o.doc.load(oRaw), u.doc.load(after.schema));
        if (allCompatible(ctx.st, sc.diffs)) return;
        ctx.diffs.push(...sc.diffs);
        add(ctx, "PATTERN_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
      }
    });
  }
}

function compareDependencies(ctx: TCtx, o: TObjectShape, u: TObjectShape): void {
  const legacy = o.legacyDependencies || u.legacyDependencies;
  within(ctx, [legacy ? "dependencies" : "dependentRequired"], () => {
    for (const key of sortedUnion(o.propertyDependencies.keys(), u.propertyDependencies.keys())) {
      const was = o.propertyDependencies.get(key);
      const is = u.propertyDependencies.get(key);
      if (is === undefined) add(ctx, "DEPENDENCY_ARRAY_REMOVED", key);
      else if (was === undefined) add(ctx, "DEPENDENCY_ARRAY_ADDED", key);
      else {
        const wasSet = new Set(was);
        const isSet = new Set(is);
        const extended = was.every((p) => isSet.has(p));
        const narrowed = is.every((p) => wasSet.has(p));
        if (extended && narrowed) continue;
        add(ctx, extended ? "DEPENDENCY_ARRAY_EXTENDED" : narrowed ? "DEPENDENCY_ARRAY_NARROWED" : "DEPENDENCY_ARRAY_CHANGED", key);
      }
    }
  });
  within(ctx, [legacy ? "dependencies" : "dependentSchemas"], () => {
    for (const key of sortedUnion(o.schemaDependencies.keys(), u.schemaDependencies.keys())) {
      if (!u.schemaDependencies.has(key)) add(ctx, "DEPENDENCY_SCHEMA_REMOVED", key);
      else if (!o.schemaDependencies.has(key)) add(ctx, "DEPENDENCY_SCHEMA_ADDED", key);
      else within(ctx, [key], () => compare(ctx, o.doc.load(o.schemaDependencies.get(key)), u.doc.load(u.schemaDependencies.get(key))));
    }
  });
}

type TAdditionalTypes = { added: TDifferenceType; removed: TDifferenceType; extended: TDifferenceType; narrowed: TDifferenceType };

function compareAdditional(ctx: TCtx, keyword: string, oDoc: TSchemaDoc, o: TAdditional, uDoc: TSchemaDoc, u: TAdditional, types: TAdditionalTypes): void {
  within(ctx, [keyword], () => {
    if (o.permits !== u.permits) add(ctx, u.permits ? types.added : types.removed);
    else if (o.schema === undefined && u.schema !== undefined) add(ctx, types.narrowed);
    else if (o.schema !== undefined && u.schema === undefined) add(ctx, types.extended);
    else if (o.schema !== undefined && u.schema !== undefined) compare(ctx, oDoc.load(o.schema), uDoc.load(u.schema));
  });
}

function compareObject(ctx: TCtx, o: TObjectShape, u: TObjectShape): void {
  compareRequired(ctx, o, u);
  compareProperties(ctx, o, u);
  comparePatternProperties(ctx, o, u);
  compareDependencies(ctx, o, u);
  compareAdditional(ctx, "additionalProperties", o.doc, o.additional, u.doc, u.additional, {
    added: "ADDITIONAL_PROPERTIES_ADDED",
    removed: "ADDITIONAL_PROPERTIES_REMOVED",
    extended: "ADDITIONAL_PROPERTIES_EXTENDED",
    narrowed: "ADDITIONAL_PROPERTIES_NARROWED",
  });
  compareBound(ctx, "maxProperties", o.maxProperties, u.maxProperties, bound("MAX_PROPERTIES"));
  compareBound(ctx, "minProperties", o.minProperties, u.minProperties, bound("MIN_PROPERTIES"));
}

function itemRemoved(ctx: TCtx, o: TArrayShape, u: TArrayShape, oRaw: unknown): void {
  const coverage = additionalCoverage(u.additional);
  if (coverage.kind === "open") return add(ctx, "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL");
  if (coverage.kind === "partial") {
    const sc = subcontext(ctx);
    compare(sc, o.doc.load(oRaw), u.doc.load(coverage.schema));
    ctx.diffs.push(...sc.diffs);
    return add(
      ctx,
      allCompatible(ctx.st, sc.diffs) ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    );
  }
  add(ctx, o.doc.load(oRaw).kind === "false" ? "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" : "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL");
}

function itemAdded(ctx: TCtx, o: TArrayShape, u: TArrayShape, uRaw: unknown): void {
  const coverage = additionalCoverage(o.additional);
  const shape = u.doc.load(uRaw);
  if (coverage.kind === "open") {
    return add(ctx, shape.kind === "empty" ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL" : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL");
  }
  if (coverage.kind === "partial") {
    const sc = subcontext(ctx);
    compare(sc, o.doc.load(coverage.schema), shape);
    ctx.diffs.push(...sc.diffs);
    return add(
      ctx,
      allCompatible(ctx.st, sc.diffs) ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    );
  }
  add(ctx, "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL");
}

function compareArray(ctx: TCtx, o: TArrayShape, u: TArrayShape): void {
  within(ctx, ["items"], () => compareChild(ctx, o.doc, o.items, u.doc, u.items));
  const keyword = o.tuple.length > 0 ? o.tupleKeyword : u.tupleKeyword;
  const common = Math.min(o.tuple.length, u.tuple.length);
  for (let i = 0; i < Math.max(o.tuple.length, u.tuple.length); i++) {
    within(ctx, [keyword, String(i)], () => {
      if (i < common) compare(ctx, o.doc.load(o.tuple[i]), u.doc.load(u.tuple[i]));
      else if (i < o.tuple.length) itemRemoved(ctx, o, u, o.tuple[i]);
      else itemAdded(ctx, o, u, u.tuple[i]);
    });
  }
  compareAdditional(ctx, o.tuple.length > 0 ? o.additionalKeyword : u.additionalKeyword, o.doc, o.additional, u.doc, u.additional, {
    added: "ADDITIONAL_ITEMS_ADDED",
    removed: "ADDITIONAL_ITEMS_REMOVED",
    extended: "ADDITIONAL_ITEMS_EXTENDED",
    narrowed: "ADDITIONAL_ITEMS_NARROWED",
  });
  compareBound(ctx, "maxItems", o.maxItems, u.maxItems, bound("MAX_ITEMS"));
  compareBound(ctx, "minItems", o.minItems, u.minItems, bound("MIN_ITEMS"));
  if (o.uniqueItems !== u.uniqueItems) add(ctx, o.uniqueItems ? "UNIQUE_ITEMS_REMOVED" : "UNIQUE_ITEMS_ADDED", "uniqueItems");
  compareBound(ctx, "maxContains", o.maxContains, u.maxContains, bound("MAX_CONTAINS"));
  compareBound(ctx, "minContains", o.minContains, u.minContains, bound("MIN_CONTAINS"));
}

const MAX_ROUNDS = 64;

/**
 * Lists the differences from `original` (the writer's schema) to `update` (the reader's schema).
 * `rules` only matters for how nested comparisons are judged (a union member or a partially open
 * content model "covers" a schema when the comparison is compatible under those rules).
 */
export function diffSchemas(original: unknown, update: unknown, rules: TRuleSet = "strict"): TDifference[] {
  const oDoc = createSchemaDoc(original);
  const uDoc = createSchemaDoc(update);
  const o = oDoc.load(original);
  const u = uDoc.load(update);
  const compatible = compatibleChanges(rules);
  const assumed: TPairMap = new Map();
  for (let round = 0; ; round++) {
    const st: TState = { compatible, memo: new Map(), inProgress: new Map(), assumed, guessed: false };
    const result = comparePair(st, o, u);
    if (!st.guessed || round >= MAX_ROUNDS) return result;
    // Feed back every pair found incompatible; stop when no guess turned out wrong.
    let grew = false;
    for (const [oShape, inner] of st.memo) {
      for (const [uShape, diffs] of inner) {
        if (!allCompatible(st, diffs) && !getPair(assumed, oShape, uShape)) {
          setPair(assumed, oShape, uShape, diffs);
          grew = true;
        }
      }
    }
    if (!grew) return result;
  }
}

/** True when every difference is tolerated under `rules`. */
export function isCompatible(diffs: readonly TDifference[], rules: TRuleSet = "strict"): boolean {
  const compatible = compatibleChanges(rules);
  return diffs.every((d) => compatible.has(d.type));
}
