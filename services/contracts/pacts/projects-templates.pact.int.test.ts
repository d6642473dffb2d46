import { rmSync } from "node:fs";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { afterAll, describe, expect, it } from "vitest";
import { compareWithCommitted, freshPactDir } from "./support";
import { templatesClient } from "./templates-client";

// Pact's native core may otherwise report usage over the network (docs: PACT_DO_NOT_TRACK).
process.env.PACT_DO_NOT_TRACK = "true";

const { fromProviderState, integer, like, nullValue, regex } = MatchersV3;
const TEMPLATE_ID = "3f2b5c9e-8d1a-4f6b-9c2e-7a4d1e0b5f63";
const dir = freshPactDir();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * projects (consumer) -> templates (provider), HTTP: what projects reads of a template over the
 * public REST API. Verified against the real REST handler in contract-flow.int.test.ts.
 */
describe("projects' pact with templates (consumer side)", () => {
  const pact = new PactV4({ consumer: "projects", provider: "templates", dir, logLevel: "warn" });
  // A scoped token of the projects service; the provider's verification swaps in one it accepts.
  const auth = { authorization: regex(/^Bearer [A-Za-z0-9._~+/-]+=*$/, "Bearer projects-service-token-0123456789") };

  it("reads a published template by id: slug, status and versions", async () => {
    await pact
      .addInteraction()
      .given("a published template", { slug: "incident-postmortem" })
      .uponReceiving("a request for a published template")
      .withRequest("GET", fromProviderState("/api/v1/templates/${id}", `/api/v1/templates/${TEMPLATE_ID}`), (b) => b.headers({ accept: "application/json", ...auth }))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          id: fromProviderState("${id}", TEMPLATE_ID),
          slug: like("incident-postmortem"),
          status: "published",
          headVersion: integer(1),
          publishedVersion: integer(1),
          deprecationReason: nullValue(),
        }),
      )
      .executeTest(async (server) => {
        const t = await templatesClient(server.url, "projects-service-token-0123456789").getTemplate(TEMPLATE_ID);
        expect(t).toEqual({ id: TEMPLATE_ID, slug: "incident-postmortem", status: "published", headVersion: 1, publishedVersion: 1, deprecationReason: null });
      });
  });

  it("gets null for a template that does not exist", async () => {
    await pact
      .addInteraction()
      .given("no template with this id")
      .uponReceiving("a request for a template that does not exist")
      .withRequest("GET", "/api/v1/templates/00000000-0000-4000-8000-000000000000", (b) => b.headers({ accept: "application/json", ...auth }))
      .willRespondWith(404, (b) => b.jsonBody({ error: { code: "NOT_FOUND", message: like('no template "00000000-0000-4000-8000-000000000000"') } }))
      .executeTest(async (server) => {
        expect(await templatesClient(server.url, "projects-service-token-0123456789").getTemplate("00000000-0000-4000-8000-000000000000")).toBeNull();
      });
  });

  it("the pact it writes is the one committed in contracts/pacts/", () => {
    expect(compareWithCommitted(dir, "projects-templates.json", process.env.UPDATE_PACTS === "1")).toBe("");
  });
});
