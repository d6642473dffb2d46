/**
 * `$ref` resolution inside one document (JSON pointers, `$anchor`s, `$id`s), JSON pointer
 * encoding, and structural equality of JSON values. Remote references (other files, URLs) are not
 * fetched: they stay unresolved and callers treat them as opaque.
 */

export type TJsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is TJsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Builds `#/a/b` from segments; the root is `#/`, as Confluent prints it. */
export function toPointer(segments: readonly string[]): string {
  return `#/${segments.map(escapePointerSegment).join("/")}`;
}

/** Follows a JSON pointer (`/a/b`, without the `#`) from `root`; undefined when it leads nowhere. */
export function followPointer(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = safeDecode(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(segment)) return undefined;
      node = node[Number(segment)];
    } else if (isJsonObject(node)) {
      if (!Object.hasOwn(node, segment)) return undefined;
      node = node[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** JSON text with object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Structural equality of two JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** Resolves `$ref` strings against one document. */
export type TRefResolver = {
  /** The target of `ref`, or undefined when it is remote or points nowhere. */
  resolve(ref: string): unknown;
};

function stripEmptyFragment(uri: string): string {
  return uri.endsWith("#") ? uri.slice(0, -1) : uri;
}

/**
 * Indexes a document's `$id`/`id` URIs and `$anchor`s (and draft-6/7 `$id: "#name"` anchors) so
 * that `#/pointer`, `#anchor`, `<$id>` and `<$id>#/pointer` references resolve.
 */
export function createRefResolver(root: unknown): TRefResolver {
  const anchors = new Map<string, unknown>();
  const ids = new Map<string, unknown>();
  const seen = new Set<unknown>();
  const rootId = isJsonObject(root) && typeof root.$id === "string" ? stripEmptyFragment(root.$id) : undefined;

  const visit = (node: unknown, depth: number): void => {
    if (depth > 256 || typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const obj = node as TJsonObject;
    if (typeof obj.$anchor === "string") anchors.set(obj.$anchor, obj);
    for (const key of ["$id", "id"]) {
      const id = obj[key];
      if (typeof id !== "string") continue;
      if (id.startsWith("#")) anchors.set(id.slice(1), obj);
      else ids.set(stripEmptyFragment(id), obj);
    }
    for (const [key, child] of Object.entries(obj)) {
      // `enum`, `const`, `default` and `examples` hold data, not schemas: an `$id` inside them names nothing.
      if (key === "enum" || key === "const" || key === "default" || key === "examples" || key === "example") continue;
      visit(child, depth + 1);
    }
  };
  visit(root, 0);

  const resolveUri = (ref: string): string => {
    if (!rootId) return ref;
    try {
      return new URL(ref, rootId).href;
    } catch {
      return ref;
    }
  };

  return {
    resolve(ref) {
      const hash = ref.indexOf("#");
      const base = hash === -1 ? ref : ref.slice(0, hash);
      const fragment = hash === -1 ? "" : ref.slice(hash + 1);
      let scope: unknown;
      if (base === "") scope = root;
      else scope = ids.get(base) ?? ids.get(resolveUri(base)) ?? (rootId && resolveUri(base) === rootId ? root : undefined);
      if (scope === undefined) return undefined;
      if (fragment === "") return scope;
      if (fragment.startsWith("/")) return followPointer(scope, fragment);
      return scope === root ? anchors.get(fragment) : undefined;
    },
  };
}

/** True when `ref` can only be resolved by fetching another document. */
export function isRemoteRef(ref: string): boolean {
  return !ref.startsWith("#");
}
