import { toJsonSchema } from "@/server/rest/json-schema";
import { buildOpenApiDocument } from "@/server/rest/openapi";
import { restOperations } from "@/server/rest/operations";
import { appRouter } from "@/server/trpc/root";
import { domainEvents } from "@/services/events";

/** What each service's public REST API is called in its OpenAPI document. */
const APIS: Record<string, { title: string; version: string; description: string }> = {
  analytics: {
    title: "Templator Analytics API",
    version: "1.0.0",
    description: "Product analytics built from domain events: metrics (/metrics), the event feed (/events) and usage reports (/reports).",
  },
  contracts: {
    title: "Switchyard Contract Broker API",
    version: "1.0.0",
    description: "What CI publishes (pacts, verification results, event schemas, deployments) and asks (can-i-deploy, the matrix). Machines use a scoped token (Authorization: Bearer).",
  },
  projects: { title: "Templator Projects API", version: "1.0.0", description: "Projects created from templates, and their members." },
  ai: { title: "Templator AI API", version: "1.0.0", description: "Template analysis with a quality score, generation through a provider seam with every run recorded, and retrieval over template and asset text." },
  assets: { title: "Templator Assets API", version: "1.0.0", description: "Uploads with size and type limits, their metadata, text and bytes." },
  templates: { title: "Templator Templates API", version: "1.0.0", description: "Templates with versions and variables, and reusable modules." },
};

/**
 * The contracts the code defines, as files under `contracts/`: one OpenAPI 3.1 document per service
 * with public REST operations, and one JSON Schema per event type. Keys are paths relative to the
 * repository root; values are the exact file contents (stable key order, trailing newline).
 */
export function generatedContracts(): Record<string, string> {
  const files: Record<string, string> = {};
  const ops = restOperations(appRouter);
  for (const service of [...new Set(ops.map((o) => o.service))].sort()) {
    const api = APIS[service] ?? { title: `Templator ${service} API`, version: "1.0.0", description: "" };
    files[`contracts/openapi/${service}.json`] = `${JSON.stringify(buildOpenApiDocument(ops, { service, ...api }), null, 2)}\n`;
  }
  for (const e of domainEvents) {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: `https://switchyard.dev/contracts/events/${e.type}.json`,
      title: e.type,
      description: e.description,
      "x-event-version": e.version,
      ...toJsonSchema(e.payload, "output"),
    };
    files[`contracts/events/${e.type}.json`] = `${JSON.stringify(schema, null, 2)}\n`;
  }
  return files;
}
