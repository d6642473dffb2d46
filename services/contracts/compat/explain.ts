/**
 * Plain-words explanations of JSON Schema differences: what changed (with the versions named),
 * why a reader would fail on data written before, and what to do instead. Every type that is not
 * tolerated under the strict rules has an explanation and a fix (a unit test holds us to it).
 * OpenAPI explanations live with their checks in `openapi-checks.ts`.
 */
import type { TDifferenceType } from "./jsonschema-differences";

/** What a message can mention: the JSON pointer, its last segment, and the two versions' labels. */
export type TExplainVars = { path: string; name: string; writer: string; reader: string };

type TText = string | ((v: TExplainVars) => string);

export type TExplanation = { message: TText; explanation?: TText; fix?: TText };

const NEW_VERSION =
  "If the change is intended, publish it as a new major version (a new event type such as `templator.events.v2.<service>.<Event>`, or a new subject) and keep producing the old one during a deprecation window.";

function tightened(what: string, rejected: string, keep: string): TExplanation {
  return {
    message: (v) => `the ${what} at ${v.path} is stricter in ${v.reader} than in ${v.writer}`,
    explanation: `${rejected} that {writer} allowed are rejected by the reader.`,
    fix: `${keep} ${NEW_VERSION}`,
  };
}

function relaxed(what: string): TExplanation {
  return { message: (v) => `the ${what} at ${v.path} is looser in ${v.reader} than in ${v.writer}` };
}

function note(text: string): TExplanation {
  return { message: (v) => `${text} at ${v.path}` };
}

const CLOSE_THE_MODEL =
  "Close the content model before adding constrained properties: publish a version with `additionalProperties: false` first (adding an optional property to a closed model is compatible), or add the property with an empty schema (`true`) and constrain it in a later version; Confluent's lenient rules accept this change when no producer ever wrote undeclared properties.";

export const JSON_SCHEMA_EXPLANATIONS: Record<TDifferenceType, TExplanation> = {
  ID_CHANGED: note("the $id changed"),
  DESCRIPTION_CHANGED: note("the description changed"),
  TITLE_CHANGED: note("the title changed"),
  DEFAULT_CHANGED: note("the default value changed"),
  SCHEMA_ADDED: {
    message: (v) => `a schema was added at ${v.path}: values there were unconstrained in ${v.writer}`,
    explanation: "Data written before may hold any value there, and values that do not match the new schema are rejected.",
    fix: `Leave the location unconstrained, or make the new schema accept everything that could have been written (for example a union that includes the old shape). ${NEW_VERSION}`,
  },
  SCHEMA_REMOVED: note("a schema was removed (the location is now unconstrained)"),
  TYPE_EXTENDED: note("the type was widened (integer to number)"),
  TYPE_NARROWED: {
    message: (v) => `the type at ${v.path} was narrowed from number to integer`,
    explanation: "Numbers with a fractional part, valid when written, are rejected by the reader.",
    fix: `Keep \`type: number\` and round in the consumer if integers are needed. ${NEW_VERSION}`,
  },
  TYPE_CHANGED: {
    message: (v) => `the type at ${v.path} differs between ${v.writer} and ${v.reader}`,
    explanation: "Every value written with the old type fails validation against the new one.",
    fix: `Keep the old type. To accept a new type as well, use a union that still contains the old one (\`oneOf\`/\`anyOf\`, or a \`type\` list): that is a compatible change. For a new representation add a new optional property and deprecate the old one. ${NEW_VERSION}`,
  },

  MAX_LENGTH_ADDED: tightened("maxLength", "Longer strings", "Drop the limit, or enforce it in producers only."),
  MAX_LENGTH_REMOVED: relaxed("maxLength"),
  MAX_LENGTH_INCREASED: relaxed("maxLength"),
  MAX_LENGTH_DECREASED: tightened("maxLength", "Longer strings", "Keep the old maxLength, or enforce the shorter one in producers only."),
  MIN_LENGTH_ADDED: tightened("minLength", "Shorter strings", "Drop the limit, or enforce it in producers only."),
  MIN_LENGTH_REMOVED: relaxed("minLength"),
  MIN_LENGTH_INCREASED: tightened("minLength", "Shorter strings", "Keep the old minLength, or enforce the longer one in producers only."),
  MIN_LENGTH_DECREASED: relaxed("minLength"),
  PATTERN_ADDED: tightened("pattern", "Strings that do not match the new pattern", "Validate the format in producers instead, or put the pattern on a new property."),
  PATTERN_REMOVED: relaxed("pattern"),
  PATTERN_CHANGED: tightened("pattern", "Strings that matched the old pattern but not the new one", "Keep the old pattern, or make the new one accept everything the old one did."),
  FORMAT_ADDED: tightened("format", "Strings that do not follow the new format (with format assertion on)", "Do not add a format to an existing property; use it on a new property."),
  FORMAT_REMOVED: relaxed("format"),
  FORMAT_CHANGED: tightened("format", "Strings in the old format", "Keep the old format; put the new representation in a new property."),

  MAXIMUM_ADDED: tightened("maximum", "Larger numbers", "Drop the limit, or enforce it in producers only."),
  MAXIMUM_REMOVED: relaxed("maximum"),
  MAXIMUM_INCREASED: relaxed("maximum"),
  MAXIMUM_DECREASED: tightened("maximum", "Larger numbers", "Keep the old maximum, or enforce the lower one in producers only."),
  MINIMUM_ADDED: tightened("minimum", "Smaller numbers", "Drop the limit, or enforce it in producers only."),
  MINIMUM_REMOVED: relaxed("minimum"),
  MINIMUM_INCREASED: tightened("minimum", "Smaller numbers", "Keep the old minimum, or enforce the higher one in producers only."),
  MINIMUM_DECREASED: relaxed("minimum"),
  EXCLUSIVE_MAXIMUM_ADDED: tightened("exclusiveMaximum", "Larger numbers", "Drop the limit, or enforce it in producers only."),
  EXCLUSIVE_MAXIMUM_REMOVED: relaxed("exclusiveMaximum"),
  EXCLUSIVE_MAXIMUM_INCREASED: relaxed("exclusiveMaximum"),
  EXCLUSIVE_MAXIMUM_DECREASED: tightened("exclusiveMaximum", "Larger numbers", "Keep the old bound, or enforce the lower one in producers only."),
  EXCLUSIVE_MINIMUM_ADDED: tightened("exclusiveMinimum", "Smaller numbers", "Drop the limit, or enforce it in producers only."),
  EXCLUSIVE_MINIMUM_REMOVED: relaxed("exclusiveMinimum"),
  EXCLUSIVE_MINIMUM_INCREASED: tightened("exclusiveMinimum", "Smaller numbers", "Keep the old bound, or enforce the higher one in producers only."),
  EXCLUSIVE_MINIMUM_DECREASED: relaxed("exclusiveMinimum"),
  MULTIPLE_OF_ADDED: tightened("multipleOf", "Numbers that are not multiples of the new step", "Drop multipleOf, or enforce it in producers only."),
  MULTIPLE_OF_REMOVED: relaxed("multipleOf"),
  MULTIPLE_OF_EXPANDED: tightened("multipleOf", "Multiples of the old step that are not multiples of the new one", "Use a divisor of the old multipleOf (10 to 5 is compatible, 5 to 10 is not)."),
  MULTIPLE_OF_REDUCED: relaxed("multipleOf"),
  MULTIPLE_OF_CHANGED: tightened("multipleOf", "Multiples of the old step that are not multiples of the new one", "Use a divisor of the old multipleOf (10 to 5 is compatible, 10 to 3 is not)."),

  REQUIRED_ATTRIBUTE_ADDED: {
    message: (v) => `the property '${v.name}' is required by ${v.reader} but optional in ${v.writer}`,
    explanation: "Records written without the property, which was allowed, fail validation.",
    fix: `Make the property optional again, or give it a \`default\` so readers can fill it in (a required property with a default is compatible). Populate it in every producer first and require it only in a new major version. ${NEW_VERSION}`,
  },
  REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED: { message: (v) => `the property '${v.name}' became required, with a default` },
  REQUIRED_ATTRIBUTE_REMOVED: { message: (v) => `the property '${v.name}' is no longer required` },
  MAX_PROPERTIES_ADDED: tightened("maxProperties", "Objects with more properties", "Drop the limit, or enforce it in producers only."),
  MAX_PROPERTIES_REMOVED: relaxed("maxProperties"),
  MAX_PROPERTIES_INCREASED: relaxed("maxProperties"),
  MAX_PROPERTIES_DECREASED: tightened("maxProperties", "Objects with more properties", "Keep the old maxProperties."),
  MIN_PROPERTIES_ADDED: tightened("minProperties", "Objects with fewer properties", "Drop the limit, or enforce it in producers only."),
  MIN_PROPERTIES_REMOVED: relaxed("minProperties"),
  MIN_PROPERTIES_INCREASED: tightened("minProperties", "Objects with fewer properties", "Keep the old minProperties."),
  MIN_PROPERTIES_DECREASED: relaxed("minProperties"),
  ADDITIONAL_PROPERTIES_ADDED: note("the content model was opened (additional properties allowed)"),
  ADDITIONAL_PROPERTIES_REMOVED: {
    message: (v) => `the content model was closed (additionalProperties: false) in ${v.reader}`,
    explanation: "Records that carry properties the new schema does not declare, which the open model allowed, are rejected.",
    fix: "Keep the content model open, or declare every property producers may have written before closing it. Closing is safe only before the first producer ships; Confluent's lenient rules accept it when no producer ever wrote undeclared properties.",
  },
  ADDITIONAL_PROPERTIES_EXTENDED: note("additionalProperties was widened to accept anything"),
  ADDITIONAL_PROPERTIES_NARROWED: {
    message: (v) => `undeclared properties must now match a schema in ${v.reader} (additionalProperties at ${v.path})`,
    explanation: "Records with undeclared properties of any value were valid; those whose values do not match the new schema are rejected.",
    fix: "Keep `additionalProperties` open, or make its schema accept everything producers may have written.",
  },
  DEPENDENCY_ARRAY_ADDED: {
    message: (v) => `a property dependency was added for '${v.name}'`,
    explanation: "Records that have the property without the properties it now depends on are rejected.",
    fix: "Remove the dependency, or apply it only to a new property that no old record has.",
  },
  DEPENDENCY_ARRAY_REMOVED: { message: (v) => `the property dependency of '${v.name}' was removed` },
  DEPENDENCY_ARRAY_EXTENDED: {
    message: (v) => `the property dependency of '${v.name}' requires more properties`,
    explanation: "Records that have the property without the newly listed properties are rejected.",
    fix: "Keep the dependency list as it was.",
  },
  DEPENDENCY_ARRAY_NARROWED: { message: (v) => `the property dependency of '${v.name}' requires fewer properties` },
  DEPENDENCY_ARRAY_CHANGED: {
    message: (v) => `the property dependency of '${v.name}' changed`,
    explanation: "Records that satisfy the old dependency but not the new one are rejected.",
    fix: "Keep the old dependency list, or only remove names from it.",
  },
  DEPENDENCY_SCHEMA_ADDED: {
    message: (v) => `a schema dependency was added for '${v.name}'`,
    explanation: "Records that have the property must now also match the dependency schema; old ones may not.",
    fix: "Remove the schema dependency, or make it accept everything producers may have written.",
  },
  DEPENDENCY_SCHEMA_REMOVED: { message: (v) => `the schema dependency of '${v.name}' was removed` },

  REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: {
    message: (v) => `the new property '${v.name}' is required, and ${v.writer} has an open content model`,
    explanation: "Records written before do not have the property (or have it with any value, since undeclared properties were allowed), so they fail validation.",
    fix: `Add the property as optional with a \`default\` instead. ${CLOSE_THE_MODEL}`,
  },
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL: {
    message: (v) => `the new property '${v.name}' (required, with a default) was added to the open content model of ${v.writer}`,
    explanation: "Undeclared properties were allowed, so old records may already carry this name with a value the new schema rejects.",
    fix: CLOSE_THE_MODEL,
  },
  OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: {
    message: (v) => `the new optional property '${v.name}' was added to the open content model of ${v.writer}`,
    explanation: "Undeclared properties were allowed, so old records may already carry this name with a value the new schema rejects.",
    fix: CLOSE_THE_MODEL,
  },
  PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL: { message: (v) => `the property '${v.name}' was declared with an empty schema` },
  REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL: {
    message: (v) => `the new property '${v.name}' is required by ${v.reader}`,
    explanation: "Records written before the property existed do not have it and fail validation.",
    fix: `Make the new property optional, or give it a \`default\` (a new required property with a default is compatible). ${NEW_VERSION}`,
  },
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL: { message: (v) => `the new property '${v.name}' is required, with a default` },
  OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL: { message: (v) => `the new optional property '${v.name}' was added` },
  PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL: { message: (v) => `the property '${v.name}' was removed (the open content model still accepts it)` },
  PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL: { message: (v) => `the forbidden property '${v.name}' was removed` },
  PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: {
    message: (v) => `the property '${v.name}' was removed, and ${v.reader} has a closed content model`,
    explanation: "Records that still carry the property are rejected, because the closed model allows only declared properties.",
    fix: "Keep the property declared and mark it deprecated (`deprecated: true` or in its description) until no producer writes it, or open the content model (`additionalProperties`) so it is still accepted.",
  },
  PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: { message: (v) => `the property '${v.name}' was removed; additionalProperties/patternProperties still accept it` },
  PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    message: (v) => `the property '${v.name}' was removed, and what additionalProperties/patternProperties accept does not cover it`,
    explanation: "Records that still carry the property are now checked against the additionalProperties/patternProperties schema, which rejects values the old declaration allowed.",
    fix: "Keep the property declared (deprecated), or widen the additionalProperties/patternProperties schema so it accepts the old values.",
  },
  PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: { message: (v) => `the new property '${v.name}' accepts everything additionalProperties/patternProperties accepted for it` },
  PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    message: (v) => `the new property '${v.name}' is stricter than what additionalProperties/patternProperties of ${v.writer} accepted for it`,
    explanation: "Old records may already carry this name as an additional property, with values the new declaration rejects.",
    fix: "Declare the property with a schema at least as wide as the additionalProperties/patternProperties schema it falls under, or choose a name nobody could have used.",
  },
  PATTERN_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: {
    message: (v) => `patternProperties ${v.name} was added to the open content model of ${v.writer}`,
    explanation: "Properties with matching names were unconstrained; old records may hold values the new pattern schema rejects.",
    fix: "Make the pattern schema accept anything for now, or close the content model first (in an earlier version).",
  },
  PATTERN_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    message: (v) => `patternProperties ${v.name} is stricter than the additionalProperties schema of ${v.writer}`,
    explanation: "Matching properties were accepted by additionalProperties; old records may hold values the new pattern schema rejects.",
    fix: "Make the pattern schema at least as wide as the additionalProperties schema.",
  },
  PATTERN_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: {
    message: (v) => `patternProperties ${v.name} was removed, and ${v.reader} has a closed content model`,
    explanation: "Records with properties matching the pattern are now rejected.",
    fix: "Keep the patternProperties entry, or open the content model.",
  },
  PATTERN_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    message: (v) => `patternProperties ${v.name} was removed, and additionalProperties of ${v.reader} does not cover it`,
    explanation: "Properties that matched the pattern now fall under additionalProperties, which rejects values the pattern schema allowed.",
    fix: "Keep the patternProperties entry, or widen additionalProperties to cover it.",
  },

  MAX_ITEMS_ADDED: tightened("maxItems", "Longer arrays", "Drop the limit, or enforce it in producers only."),
  MAX_ITEMS_REMOVED: relaxed("maxItems"),
  MAX_ITEMS_INCREASED: relaxed("maxItems"),
  MAX_ITEMS_DECREASED: tightened("maxItems", "Longer arrays", "Keep the old maxItems."),
  MIN_ITEMS_ADDED: tightened("minItems", "Shorter (or empty) arrays", "Drop the limit, or enforce it in producers only."),
  MIN_ITEMS_REMOVED: relaxed("minItems"),
  MIN_ITEMS_INCREASED: tightened("minItems", "Shorter arrays", "Keep the old minItems."),
  MIN_ITEMS_DECREASED: relaxed("minItems"),
  MAX_CONTAINS_ADDED: tightened("maxContains", "Arrays with more matching items", "Drop the limit."),
  MAX_CONTAINS_REMOVED: relaxed("maxContains"),
  MAX_CONTAINS_INCREASED: relaxed("maxContains"),
  MAX_CONTAINS_DECREASED: tightened("maxContains", "Arrays with more matching items", "Keep the old maxContains."),
  MIN_CONTAINS_ADDED: tightened("minContains", "Arrays with fewer matching items", "Drop the limit."),
  MIN_CONTAINS_REMOVED: relaxed("minContains"),
  MIN_CONTAINS_INCREASED: tightened("minContains", "Arrays with fewer matching items", "Keep the old minContains."),
  MIN_CONTAINS_DECREASED: relaxed("minContains"),
  UNIQUE_ITEMS_ADDED: tightened("uniqueItems", "Arrays with duplicate items", "Deduplicate in producers instead of requiring uniqueness in the schema."),
  UNIQUE_ITEMS_REMOVED: relaxed("uniqueItems"),
  ADDITIONAL_ITEMS_ADDED: note("the tuple was opened (additional items allowed)"),
  ADDITIONAL_ITEMS_REMOVED: {
    message: (v) => `the tuple was closed (no additional items) in ${v.reader}`,
    explanation: "Arrays longer than the declared positions, which were allowed, are rejected.",
    fix: "Keep additional items allowed, or declare every position producers may have written.",
  },
  ADDITIONAL_ITEMS_EXTENDED: note("additional items were widened to accept anything"),
  ADDITIONAL_ITEMS_NARROWED: {
    message: (v) => `additional items must now match a schema in ${v.reader}`,
    explanation: "Arrays with extra items of any value were valid; those whose extra items do not match the new schema are rejected.",
    fix: "Keep additional items unconstrained, or make their schema accept everything producers may have written.",
  },
  ITEM_ADDED_TO_OPEN_CONTENT_MODEL: {
    message: (v) => `a constrained tuple position ${v.name} was added to the open tuple of ${v.writer}`,
    explanation: "Extra items were unconstrained, so old arrays may hold values at this position that the new schema rejects.",
    fix: "Add the position with an empty schema (`true`) first, or close the tuple (no additional items) in an earlier version.",
  },
  ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL: { message: (v) => `tuple position ${v.name} was declared with an empty schema` },
  ITEM_ADDED_TO_CLOSED_CONTENT_MODEL: { message: (v) => `tuple position ${v.name} was added to a closed tuple` },
  ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL: { message: (v) => `tuple position ${v.name} was removed (the open tuple still accepts it)` },
  ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL: { message: (v) => `the forbidden tuple position ${v.name} was removed` },
  ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL: {
    message: (v) => `tuple position ${v.name} was removed, and ${v.reader} allows no additional items`,
    explanation: "Arrays that still have an item at that position are rejected.",
    fix: "Keep the position declared, or allow additional items.",
  },
  ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: { message: (v) => `tuple position ${v.name} was removed; the additional items schema still accepts it` },
  ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    message: (v) => `tuple position ${v.name} was removed, and the additional items schema does not cover it`,
    explanation: "Items at that position are now checked against the additional items schema, which rejects values the old position allowed.",
    fix: "Keep the position declared, or widen the additional items schema.",
  },
  ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: { message: (v) => `tuple position ${v.name} was added, accepting everything the additional items schema did` },
  ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    message: (v) => `tuple position ${v.name} was added and is stricter than the additional items schema of ${v.writer}`,
    explanation: "Old arrays may have an extra item at that position with a value the new position schema rejects.",
    fix: "Make the new position's schema at least as wide as the additional items schema.",
  },

  ENUM_ARRAY_EXTENDED: note("values were added to the enum"),
  ENUM_ARRAY_NARROWED: {
    message: (v) => `values were removed from the enum at ${v.path}`,
    explanation: "Records written with a removed value are rejected.",
    fix: `Keep the old values (mark them deprecated in the description) and map them in consumers. ${NEW_VERSION}`,
  },
  ENUM_ARRAY_CHANGED: {
    message: (v) => `the allowed values at ${v.path} changed`,
    explanation: "Records written with a value that is no longer allowed are rejected.",
    fix: `Only add values; keep every old one. ${NEW_VERSION}`,
  },

  COMBINED_TYPE_EXTENDED: note("the combination was relaxed (for example oneOf to anyOf)"),
  COMBINED_TYPE_CHANGED: {
    message: (v) => `the combination keyword at ${v.path} changed to a stricter one`,
    explanation: "A value valid under the old combination (for example one matching two anyOf members) can fail the new one (oneOf or allOf).",
    fix: "Keep the old keyword; only relax it (allOf or oneOf to anyOf).",
  },
  PRODUCT_TYPE_EXTENDED: {
    message: (v) => `a member was added to the allOf at ${v.path}`,
    explanation: "Every allOf member must match, so the new member adds constraints old records may violate.",
    fix: "Do not add allOf members to an existing schema; put new constraints on new properties.",
  },
  PRODUCT_TYPE_NARROWED: note("an allOf member was removed"),
  SUM_TYPE_EXTENDED: note("an alternative was added to the union"),
  SUM_TYPE_NARROWED: {
    message: (v) => `an alternative was removed from the union at ${v.path}`,
    explanation: "Records that only matched the removed alternative are rejected.",
    fix: `Keep the alternative (deprecate it). ${NEW_VERSION}`,
  },
  COMBINED_TYPE_SUBSCHEMAS_CHANGED: {
    message: (v) => `members of the combination at ${v.path} changed incompatibly`,
    explanation: "At least one member of the old combination has no compatible counterpart in the new one, so records matching it are rejected.",
    fix: "Change the members compatibly (each old member must still be readable by some new member), or add new members instead of changing old ones.",
  },
  NOT_TYPE_EXTENDED: {
    message: (v) => `the \`not\` at ${v.path} now excludes more values`,
    explanation: "Values that were allowed (not excluded) when written may now be excluded.",
    fix: "Only narrow what `not` excludes; never widen it.",
  },
  NOT_TYPE_NARROWED: note("the `not` now excludes fewer values"),
};

function render(text: TText | undefined, vars: TExplainVars): string | undefined {
  if (text === undefined) return undefined;
  const raw = typeof text === "string" ? text : text(vars);
  return raw.replace(/\{writer\}/g, vars.writer).replace(/\{reader\}/g, vars.reader);
}

/** The message, explanation and fix of a JSON Schema difference, with the versions named. */
export function explainDifference(type: TDifferenceType, vars: TExplainVars): { message: string; explanation?: string; fix?: string } {
  const entry = JSON_SCHEMA_EXPLANATIONS[type];
  const result: { message: string; explanation?: string; fix?: string } = { message: render(entry.message, vars)! };
  const explanation = render(entry.explanation, vars);
  const fix = render(entry.fix, vars);
  if (explanation) result.explanation = explanation;
  if (fix) result.fix = fix;
  return result;
}
