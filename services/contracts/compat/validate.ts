/**
 * Tells what kind of contract a parsed document is, and whether it is one at all: the differ
 * assumes well-formed input, so callers (the CLI, later the contracts service) check first and
 * report these problems instead of a verdict.
 */
import { createRefResolver, isJsonObject, toPointer, type TJsonObject } from "./refs";
import type { TContractKind } from "./types";

/** `openapi` when the document has an `openapi` key, else `jsonschema`. */
export function detectKind(document: unknown): TContractKind {
  return isJsonObject(document) && Object.hasOwn(document, "openapi") ? "openapi" : "jsonschema";
}

const TYPE_NAMES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const SCHEMA_KEYWORDS = ["not", "additionalProperties", "additionalItems", "contains", "propertyNames", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems"];
const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const COUNT_KEYWORDS = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"];
const NUMBER_KEYWORDS = ["minimum", "maximum"];
/** Values of these keywords are data, not schemas: nothing inside them is checked. */
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples", "example"]);

function validRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    try {
      new RegExp(pattern);
      return true;
    } catch {
      return false;
    }
  }
}

type TProblems = { add(path: readonly string[], message: string): void; list: string[] };

function problems(limit = 50): TProblems {
  const list: string[] = [];
  return {
    list,
    add(path, message) {
      if (list.length < limit) list.push(`${toPointer(path)}: ${message}`);
    },
  };
}

/** Checks that every local `$ref` (`#...`) in `root` resolves. */
function checkRefs(root: unknown, out: TProblems): void {
  const resolver = createRefResolver(root);
  const seen = new Set<unknown>();
  const visit = (node: unknown, path: string[]): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, [...path, String(i)]));
    const obj = node as TJsonObject;
    if (Object.hasOwn(obj, "$ref")) {
      if (typeof obj.$ref !== "string") out.add(path, "$ref must be a string");
      else if (obj.$ref.startsWith("#") && resolver.resolve(obj.$ref) === undefined) out.add(path, `$ref "${obj.$ref}" does not resolve`);
    }
    for (const [key, child] of Object.entries(obj)) if (!DATA_KEYWORDS.has(key)) visit(child, [...path, key]);
  };
  visit(root, []);
}

function checkSchema(node: unknown, path: string[], out: TProblems, seen: Set<unknown>): void {
  if (typeof node === "boolean") return;
  if (!isJsonObject(node)) return out.add(path, "a schema must be an object or a boolean");
  if (seen.has(node)) return;
  seen.add(node);
  const at = (key: string) => [...path, key];
  const type = node.type;
  if (type !== undefined) {
    const names = Array.isArray(type) ? type : [type];
    if (names.length === 0 || names.some((t) => typeof t !== "string" || !TYPE_NAMES.has(t))) {
      out.add(at("type"), `unknown type ${JSON.stringify(type)} (expected ${[...TYPE_NAMES].join(", ")})`);
    }
  }
  if (node.required !== undefined && (!Array.isArray(node.required) || node.required.some((r) => typeof r !== "string"))) {
    out.add(at("required"), "required must be an array of property names");
  }
  if (node.enum !== undefined && !Array.isArray(node.enum)) out.add(at("enum"), "enum must be an array");
  if (node.pattern !== undefined && (typeof node.pattern !== "string" || !validRegex(node.pattern))) out.add(at("pattern"), "pattern must be a valid regular expression");
  for (const key of COUNT_KEYWORDS) {
    const v = node[key];
    if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= 0)) out.add(at(key), `${key} must be a non-negative integer`);
  }
  for (const key of NUMBER_KEYWORDS) if (node[key] !== undefined && typeof node[key] !== "number") out.add(at(key), `${key} must be a number`);
  for (const key of ["exclusiveMinimum", "exclusiveMaximum"]) {
    if (node[key] !== undefined && typeof node[key] !== "number" && typeof node[key] !== "boolean") out.add(at(key), `${key} must be a number`);
  }
  if (node.multipleOf !== undefined && !(typeof node.multipleOf === "number" && node.multipleOf > 0)) out.add(at("multipleOf"), "multipleOf must be a positive number");
  for (const key of SCHEMA_KEYWORDS) if (node[key] !== undefined) checkSchema(node[key], at(key), out, seen);
  for (const key of SCHEMA_MAP_KEYWORDS) {
    const map = node[key];
    if (map === undefined) continue;
    if (!isJsonObject(map)) {
      out.add(at(key), `${key} must be an object`);
      continue;
    }
    for (const [name, child] of Object.entries(map)) {
      if (key === "patternProperties" && !validRegex(name)) out.add([...at(key), name], "not a valid regular expression");
      checkSchema(child, [...at(key), name], out, seen);
    }
  }
  for (const key of SCHEMA_LIST_KEYWORDS) {
    const list = node[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || (list.length === 0 && key !== "prefixItems")) out.add(at(key), `${key} must be a non-empty array of schemas`);
    else list.forEach((child, i) => checkSchema(child, [...at(key), String(i)], out, seen));
  }
  if (node.items !== undefined) {
    if (Array.isArray(node.items)) node.items.forEach((child, i) => checkSchema(child, [...at("items"), String(i)], out, seen));
    else checkSchema(node.items, at("items"), out, seen);
  }
  if (node.dependencies !== undefined) {
    if (!isJsonObject(node.dependencies)) out.add(at("dependencies"), "dependencies must be an object");
    else {
      for (const [name, dep] of Object.entries(node.dependencies)) {
        if (Array.isArray(dep)) {
          if (dep.some((d) => typeof d !== "string")) out.add([...at("dependencies"), name], "a property dependency must list property names");
        } else checkSchema(dep, [...at("dependencies"), name], out, seen);
      }
    }
  }
}

function checkOpenApi(document: TJsonObject, out: TProblems): void {
  if (typeof document.openapi !== "string" || !/^3\.\d+(\.\d+)?/.test(document.openapi)) {
    return out.add(["openapi"], `unsupported OpenAPI version ${JSON.stringify(document.openapi)} (expected 3.0.x or 3.1.x)`);
  }
  if (document.paths === undefined) {
    if (document.webhooks === undefined && document.components === undefined) out.add([], "an OpenAPI document needs paths, webhooks or components");
    return;
  }
  if (!isJsonObject(document.paths)) return out.add(["paths"], "paths must be an object");
  for (const [template, item] of Object.entries(document.paths)) {
    if (!template.startsWith("/")) out.add(["paths", template], "a path must start with /");
    if (!isJsonObject(item)) out.add(["paths", template], "a path item must be an object");
  }
  const schemas = isJsonObject(document.components) ? document.components.schemas : undefined;
  if (schemas !== undefined) {
    if (!isJsonObject(schemas)) out.add(["components", "schemas"], "components.schemas must be an object");
    else for (const [name, schema] of Object.entries(schemas)) checkSchema(schema, ["components", "schemas", name], out, new Set());
  }
}

/**
 * Problems that make `document` unusable as a contract of `kind` (empty when it is fine), each as
 * `<json pointer>: <what is wrong>`.
 */
export function validateContract(kind: TContractKind, document: unknown): string[] {
  const out = problems();
  if (kind === "openapi") {
    if (!isJsonObject(document)) return ["#/: an OpenAPI document must be an object"];
    checkOpenApi(document, out);
  } else {
    if (isJsonObject(document) && Object.hasOwn(document, "swagger")) {
      return ["#/: Swagger 2.0 documents are not supported (convert the API to OpenAPI 3)"];
    }
    if (typeof document !== "boolean" && !isJsonObject(document)) return ["#/: not a JSON Schema (expected an object or a boolean)"];
    checkSchema(document, [], out, new Set());
  }
  checkRefs(document, out);
  return out.list;
}
