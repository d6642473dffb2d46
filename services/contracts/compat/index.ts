/**
 * The contract compatibility engine: pure functions from parsed documents to verdicts.
 * JSON Schema follows Confluent Schema Registry; OpenAPI follows oasdiff's checks.
 */
export { checkJsonSchemaCompatibility, diffJsonSchema, formatDifference, isCompatible, jsonSchemaPairDiffer } from "./jsonschema";
export { checkOpenApiCompatibility, diffOpenApi } from "./openapi";
export { OPENAPI_CHECKS } from "./openapi-checks";
export { JSON_SCHEMA_EXPLANATIONS, explainDifference } from "./explain";
export { DIFFERENCE_TYPES, COMPATIBLE_CHANGES_LENIENT, COMPATIBLE_CHANGES_STRICT } from "./jsonschema-differences";
export type { TDifference, TDifferenceType, TRuleSet } from "./jsonschema-differences";
export { failsOn, isTransitive, parseMode, runMode } from "./modes";
export type { TFailOn, TPairDiffer } from "./modes";
export { detectKind, validateContract } from "./validate";
export * from "./types";
