/**
 * The OpenAPI check catalog: every id the OpenAPI differ can report, with its level and, for ERR
 * and WARN, why it breaks clients and what to do instead. Ids follow oasdiff's naming
 * (https://github.com/oasdiff/oasdiff, `checker/localizations_src/en/messages.yaml`).
 *
 * Schema checks exist per location: a parameter (`request-parameter-*`), the request body root
 * (`request-body-*`), a property inside it (`request-property-*`), the response body root
 * (`response-body-*`), a property inside it (`response-property-*`) and a response header
 * (`response-header-*`). Their level depends on the direction: narrowing what a server accepts
 * breaks requests, widening what it returns breaks responses.
 */
import type { TLevel } from "./types";

export type TCheckInfo = { level: TLevel; explanation?: string; fix?: string };

const DEPRECATE_FIRST =
  "Deprecate first (`deprecated: true`, a `Sunset` date in the description or an `x-sunset` extension), watch the traffic, and remove it only after the deprecation window — or bump the API version (a new base path such as /v2) and keep serving the old one meanwhile.";

/** Checks on paths, operations, parameters, bodies, responses, headers and security. */
const OPERATION_CHECKS: Record<string, TCheckInfo> = {
  "api-path-removed-without-deprecation": {
    level: "ERR",
    explanation: "Every client still calling this path now gets 404 Not Found, without having been warned.",
    fix: `Restore the path. ${DEPRECATE_FIRST}`,
  },
  "api-path-removed-with-deprecation": {
    level: "WARN",
    explanation: "The path was deprecated, but clients that still call it now get 404 Not Found.",
    fix: "Remove it only once the deprecation window has passed and the traffic to it is gone; otherwise restore it.",
  },
  "api-removed-without-deprecation": {
    level: "ERR",
    explanation: "Clients calling this operation now get 404 or 405, without having been warned.",
    fix: `Restore the operation. ${DEPRECATE_FIRST}`,
  },
  "api-removed-with-deprecation": {
    level: "WARN",
    explanation: "The operation was deprecated, but clients that still call it now fail.",
    fix: "Remove it only once the deprecation window has passed and the traffic to it is gone; otherwise restore it.",
  },
  "endpoint-added": { level: "INFO" },
  "endpoint-deprecated": { level: "INFO" },
  "new-required-request-parameter": {
    level: "ERR",
    explanation: "Existing clients do not send this parameter, so every request they make is now rejected (400).",
    fix: "Make the parameter optional (`required: false`) and apply a server-side default (document it as `schema.default`); require it only in a new version of the operation.",
  },
  "new-optional-request-parameter": { level: "INFO" },
  "request-parameter-removed": {
    level: "WARN",
    explanation: "Clients still send the parameter: a server that rejects unknown parameters fails their requests, and one that ignores it silently drops what they meant.",
    fix: `Keep accepting the parameter (ignore it if it no longer matters) and mark it \`deprecated: true\`. ${DEPRECATE_FIRST}`,
  },
  "request-parameter-became-required": {
    level: "ERR",
    explanation: "Clients that omit the parameter, as the old contract allowed, are now rejected (400).",
    fix: "Keep it optional and fall back to a server-side default (document it as `schema.default`); require it only in a new version of the operation.",
  },
  "request-parameter-became-optional": { level: "INFO" },
  "request-body-added-required": {
    level: "ERR",
    explanation: "Existing clients call the operation without a body, so their requests are now rejected.",
    fix: "Make the request body optional (`required: false`) and default its fields server-side, or add the body in a new version of the operation.",
  },
  "request-body-added-optional": { level: "INFO" },
  "request-body-removed": {
    level: "WARN",
    explanation: "Clients still send a body: a server that rejects unexpected bodies fails their requests, and one that ignores it silently drops what they meant.",
    fix: `Keep accepting (and ignoring) the body during a deprecation window. ${DEPRECATE_FIRST}`,
  },
  "request-body-became-required": {
    level: "ERR",
    explanation: "Clients that call the operation without a body, as the old contract allowed, are now rejected.",
    fix: "Keep the body optional (`required: false`) and default its content server-side.",
  },
  "request-body-became-optional": { level: "INFO" },
  "request-body-media-type-removed": {
    level: "ERR",
    explanation: "Clients sending this content type now get 415 Unsupported Media Type.",
    fix: "Keep accepting the media type (convert it server-side to the new one) until clients have moved; announce the removal with a deprecation window.",
  },
  "request-body-media-type-added": { level: "INFO" },
  "response-success-status-removed": {
    level: "ERR",
    explanation: "Clients expect this success status and its body; they treat any other status as an error or cannot parse the new body.",
    fix: "Keep returning the old status code; introduce a different one only in a new version of the operation.",
  },
  "response-non-success-status-removed": {
    level: "WARN",
    explanation: "Clients that handle this error status now receive a different one and may fall into generic error handling.",
    fix: "Keep returning the old status for that condition, or make sure clients treat the replacement the same way before releasing.",
  },
  "response-success-status-added": { level: "INFO" },
  "response-non-success-status-added": { level: "INFO" },
  "response-media-type-removed": {
    level: "ERR",
    explanation: "Clients that ask for (Accept) only this media type now get 406 Not Acceptable or a body they cannot parse.",
    fix: "Keep producing the media type alongside the new one until clients have moved; announce the removal with a deprecation window.",
  },
  "response-media-type-added": { level: "INFO" },
  "required-response-header-removed": {
    level: "ERR",
    explanation: "The header was guaranteed; clients that read it (pagination, rate limits, locations) now find nothing.",
    fix: "Keep sending the header; deprecate it and remove it only in a new version of the operation.",
  },
  "optional-response-header-removed": {
    level: "WARN",
    explanation: "Clients that use the header when present lose that information.",
    fix: "Keep sending the header while it is deprecated; remove it once clients no longer read it.",
  },
  "response-header-became-optional": {
    level: "ERR",
    explanation: "The header was guaranteed; clients that rely on it fail when it is missing.",
    fix: "Keep sending the header on every response (with a default value if need be).",
  },
  "api-security-added": {
    level: "ERR",
    explanation: "The operation now demands credentials that existing clients may not have, so their calls get 401/403.",
    fix: "Add the new scheme as an alternative (a separate entry of the `security` list) next to what clients use today, roll the credentials out, and drop the old alternative only in a later release.",
  },
  "api-security-removed": { level: "INFO" },
  "api-security-scope-added": {
    level: "ERR",
    explanation: "Tokens issued with the old scopes lack the new scope and are rejected (403).",
    fix: "Accept tokens without the new scope during a transition (keep the old requirement as an alternative), issue tokens with the scope first, then require it.",
  },
  "api-security-scope-removed": { level: "INFO" },
  "api-global-security-added": {
    level: "ERR",
    explanation: "Every operation that inherits the global security now demands credentials existing clients may not have (401/403).",
    fix: "Add the new scheme as an alternative next to the current one, roll the credentials out, then drop the old alternative in a later release.",
  },
  "api-global-security-removed": { level: "INFO" },
  "api-global-security-scope-added": {
    level: "ERR",
    explanation: "Tokens issued with the old scopes lack the new scope and are rejected by every operation inheriting the global security.",
    fix: "Keep the old requirement as an alternative while tokens with the new scope are issued, then require it.",
  },
  "api-global-security-scope-removed": { level: "INFO" },
};

/** Checks on properties inside request and response schemas. */
const PROPERTY_CHECKS: Record<string, TCheckInfo> = {
  "new-required-request-property": {
    level: "ERR",
    explanation: "Clients built against the old contract do not send this property, so their requests are rejected.",
    fix: "Make the property optional and fill it server-side when missing (document that with `default`); require it only in a new version of the operation.",
  },
  "new-required-request-property-with-default": {
    level: "WARN",
    explanation: "The default documents a server-side fallback, but a validator that enforces `required` still rejects requests without the property.",
    fix: "Drop the property from `required` and keep its `default`: optional with a default is what the fallback means.",
  },
  "new-optional-request-property": { level: "INFO" },
  "request-property-removed": {
    level: "WARN",
    explanation: "Clients still send the property: with a closed schema (`additionalProperties: false`) their requests are rejected, otherwise what they send is silently ignored.",
    fix: `Keep the property, marked \`deprecated: true\`, until clients stop sending it. ${DEPRECATE_FIRST}`,
  },
  "request-property-became-required": {
    level: "ERR",
    explanation: "Clients that omit the property, as the old contract allowed, are now rejected.",
    fix: "Keep the property optional and fill a server-side default when it is missing; require it only in a new version of the operation.",
  },
  "request-property-became-optional": { level: "INFO" },
  "response-property-removed": {
    level: "ERR",
    explanation: "The property was required, so clients read it unconditionally; now it is missing and they fail or misbehave.",
    fix: `Keep returning the property, marked \`deprecated: true\`, during a deprecation window, and remove it in a new major version. ${DEPRECATE_FIRST}`,
  },
  "response-optional-property-removed": {
    level: "WARN",
    explanation: "Clients that use the property when it is present silently lose that data.",
    fix: "Keep returning the property while it is deprecated; remove it once clients no longer read it.",
  },
  "response-required-property-added": { level: "INFO" },
  "response-optional-property-added": { level: "INFO" },
  "response-property-became-optional": {
    level: "ERR",
    explanation: "The property was guaranteed; clients that read it unconditionally fail when it is missing.",
    fix: "Keep the property required and always populate it (with a default or empty value if there is nothing better).",
  },
  "response-property-became-required": { level: "INFO" },
};

type TSchemaCheckText = { level: TLevel; explanation?: string; fix?: string };
/** A direction is missing where the change is reported under another kind (a widened response type is `type-changed`). */
type TSchemaCheck = { request?: TSchemaCheckText; response?: TSchemaCheckText };

const VERSION_IT = "If the change is intended, add it as a new field or in a new version of the operation and keep the old one during a deprecation window.";

/** Schema-level checks, by the direction the data flows. */
const SCHEMA_CHECKS = {
  "type-changed": {
    request: {
      level: "ERR",
      explanation: "Clients send values of the old type, which the new type rejects.",
      fix: `Keep the old type, or accept both (a \`type\` list or \`oneOf\` that still contains the old type). ${VERSION_IT}`,
    },
    response: {
      level: "ERR",
      explanation: "Clients parse the old type and fail on values of the new one.",
      fix: `Keep returning the old type; put the new representation in a new property. ${VERSION_IT}`,
    },
  },
  "type-generalized": { request: { level: "INFO" } },
  "type-specialized": { response: { level: "INFO" } },
  "became-nullable": {
    request: { level: "INFO" },
    response: {
      level: "ERR",
      explanation: "Clients do not expect null here and may crash on it.",
      fix: "Keep the value non-null (omit an optional property instead of sending null), or version the change.",
    },
  },
  "became-not-nullable": {
    request: {
      level: "ERR",
      explanation: "Clients that send null, as the old contract allowed, are now rejected.",
      fix: "Keep accepting null (`type: [..., \"null\"]`, or `nullable: true` in OpenAPI 3.0) and treat it as absent.",
    },
    response: { level: "INFO" },
  },
  "format-added": {
    request: {
      level: "ERR",
      explanation: "Values that do not match the new format, accepted before, are now rejected.",
      fix: "Do not add a format to an existing field; accept the old values and normalize them server-side, or use the format on a new field.",
    },
    response: { level: "INFO" },
  },
  "format-removed": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients may rely on the format (for example parse dates or UUIDs) and fail on values that no longer follow it.",
      fix: "Keep the format, or keep returning values that follow it.",
    },
  },
  "format-changed": {
    request: {
      level: "ERR",
      explanation: "Values in the old format are rejected by the new one.",
      fix: `Keep the old format and accept both server-side. ${VERSION_IT}`,
    },
    response: {
      level: "ERR",
      explanation: "Clients parse values in the old format and fail on the new one.",
      fix: `Keep returning the old format; put the new one in a new property. ${VERSION_IT}`,
    },
  },
  "enum-value-removed": {
    request: {
      level: "ERR",
      explanation: "Clients sending the removed value are now rejected.",
      fix: "Keep accepting the value (mark it deprecated in the description and map it server-side); remove it only in a new version, once clients stopped sending it.",
    },
    response: { level: "INFO" },
  },
  "enum-value-added": {
    request: { level: "INFO" },
    response: {
      level: "ERR",
      explanation: "Clients with exhaustive handling of the values (switches, generated enums) fail on the new value.",
      fix: "Return the new value only to clients that can handle it (a new field or version), or declare the list extensible (`x-extensible-enum`) and make clients handle unknown values before adding any.",
    },
  },
  "became-enum": {
    request: {
      level: "ERR",
      explanation: "Only the listed values are accepted now; clients sending any other value are rejected.",
      fix: "List every value clients may send today, or keep the field open and validate new values softly.",
    },
    response: { level: "INFO" },
  },
  "became-not-enum": {
    request: { level: "INFO" },
    response: {
      level: "ERR",
      explanation: "The server may now return values outside the list clients were built for.",
      fix: "Keep the enum and extend it deliberately (which clients must be ready for), or return free-form values in a new field.",
    },
  },
  "max-length-decreased": {
    request: {
      level: "ERR",
      explanation: "Longer values, accepted before, are now rejected.",
      fix: "Keep the old maxLength (or none); enforce a shorter limit only on a new field or in a new version.",
    },
    response: { level: "INFO" },
  },
  "max-length-increased": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients that size buffers, columns or UI for the old maximum may truncate or fail.",
      fix: "Keep returning values within the old maxLength, or tell clients before raising it.",
    },
  },
  "min-length-increased": {
    request: {
      level: "ERR",
      explanation: "Shorter values, accepted before, are now rejected.",
      fix: "Keep the old minLength; require longer values only on a new field or in a new version.",
    },
    response: { level: "INFO" },
  },
  "min-length-decreased": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients may rely on the old minimum length (for example never expect an empty string).",
      fix: "Keep returning values of at least the old minLength.",
    },
  },
  "max-decreased": {
    request: {
      level: "ERR",
      explanation: "Numbers above the new maximum, accepted before, are now rejected.",
      fix: "Keep the old maximum (or none); enforce a lower one only on a new field or in a new version.",
    },
    response: { level: "INFO" },
  },
  "max-increased": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients that assume the old maximum (types, ranges, validation) may fail on larger values.",
      fix: "Keep returning values within the old maximum, or tell clients before raising it.",
    },
  },
  "min-increased": {
    request: {
      level: "ERR",
      explanation: "Numbers below the new minimum, accepted before, are now rejected.",
      fix: "Keep the old minimum (or none); enforce a higher one only on a new field or in a new version.",
    },
    response: { level: "INFO" },
  },
  "min-decreased": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients that assume the old minimum (for example no negative numbers) may fail on smaller values.",
      fix: "Keep returning values within the old minimum, or tell clients before lowering it.",
    },
  },
  "max-items-decreased": {
    request: {
      level: "ERR",
      explanation: "Longer arrays, accepted before, are now rejected.",
      fix: "Keep the old maxItems (or none); paginate or split requests in a new version instead.",
    },
    response: { level: "INFO" },
  },
  "max-items-increased": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients that assume at most the old number of items may truncate or fail.",
      fix: "Keep returning at most the old maxItems (paginate), or tell clients before raising it.",
    },
  },
  "min-items-increased": {
    request: {
      level: "ERR",
      explanation: "Shorter arrays (including empty ones), accepted before, are now rejected.",
      fix: "Keep the old minItems; require more items only in a new version.",
    },
    response: { level: "INFO" },
  },
  "min-items-decreased": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients that assume at least the old number of items (for example read the first one) may fail.",
      fix: "Keep returning at least the old minItems.",
    },
  },
  "pattern-added": {
    request: {
      level: "ERR",
      explanation: "Values that do not match the new pattern, accepted before, are now rejected.",
      fix: "Do not add a pattern to an existing field; validate and normalize server-side, or use the pattern on a new field.",
    },
    response: { level: "INFO" },
  },
  "pattern-removed": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients may rely on the values following the pattern and fail on values that do not.",
      fix: "Keep returning values that match the old pattern.",
    },
  },
  "pattern-changed": {
    request: {
      level: "WARN",
      explanation: "The new pattern may reject values the old one accepted; whether one regular expression contains another cannot be decided automatically.",
      fix: "Make sure the new pattern matches everything the old one did (or go back to it).",
    },
    response: {
      level: "WARN",
      explanation: "The server may return values that do not match the pattern clients were built for.",
      fix: "Make sure the new pattern matches only values the old one did (or go back to it).",
    },
  },
  "one-of-removed": {
    request: {
      level: "ERR",
      explanation: "Clients sending the removed alternative are now rejected.",
      fix: "Keep accepting the alternative while it is deprecated; remove it in a new version.",
    },
    response: { level: "INFO" },
  },
  "one-of-added": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients may not know how to handle a response in the new shape.",
      fix: "Return the new alternative only to clients that can handle it (a new field or version), or make sure clients tolerate unknown shapes first.",
    },
  },
  "any-of-removed": {
    request: {
      level: "ERR",
      explanation: "Clients sending values that only matched the removed alternative are now rejected.",
      fix: "Keep accepting the alternative while it is deprecated; remove it in a new version.",
    },
    response: { level: "INFO" },
  },
  "any-of-added": {
    request: { level: "INFO" },
    response: {
      level: "WARN",
      explanation: "Clients may not know how to handle a response in the new shape.",
      fix: "Return the new alternative only to clients that can handle it, or make sure clients tolerate unknown shapes first.",
    },
  },
} satisfies Record<string, TSchemaCheck>;

/** The id prefixes of schema checks, by direction. */
export const SCHEMA_PREFIXES = {
  request: ["request-parameter", "request-body", "request-property"],
  response: ["response-body", "response-property", "response-header"],
} as const;

export type TSchemaPrefix = (typeof SCHEMA_PREFIXES)[keyof typeof SCHEMA_PREFIXES][number];
export type TSchemaCheckKind = keyof typeof SCHEMA_CHECKS;

function buildCatalog(): ReadonlyMap<string, TCheckInfo> {
  const catalog = new Map<string, TCheckInfo>(Object.entries({ ...OPERATION_CHECKS, ...PROPERTY_CHECKS }));
  for (const [kind, byDirection] of Object.entries(SCHEMA_CHECKS)) {
    for (const direction of ["request", "response"] as const) {
      const info = (byDirection as TSchemaCheck)[direction];
      if (!info) continue;
      for (const prefix of SCHEMA_PREFIXES[direction]) catalog.set(`${prefix}-${kind}`, info);
    }
  }
  return catalog;
}

/** Every OpenAPI check id with its level, explanation and fix. */
export const OPENAPI_CHECKS: ReadonlyMap<string, TCheckInfo> = buildCatalog();

/** The id of a schema-level check at a location. */
export function schemaCheckId(prefix: TSchemaPrefix, kind: TSchemaCheckKind): string {
  return `${prefix}-${kind}`;
}

/** The catalog entry of an id; throws for an id that is not in the catalog (a bug in the differ). */
export function checkInfo(id: string): TCheckInfo {
  const info = OPENAPI_CHECKS.get(id);
  if (!info) throw new Error(`unknown OpenAPI check id ${id}`);
  return info;
}
