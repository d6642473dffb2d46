import { describe, expect, it, vi } from "vitest";
import type * as RegistryModule from "@/server/messaging/registry";

// Modules are imported inside the tests: importing services/events.ts fills the registry, and the
// first two tests check which process entry points do that by themselves.
type Registry = typeof RegistryModule;

async function fresh(): Promise<Registry> {
  vi.resetModules();
  return import("@/server/messaging/registry");
}

describe("the event schema registry", () => {
  it("is filled in the web process by its routers alone", { timeout: 60_000 }, async () => {
    const registry = await fresh();
    expect(registry.registeredEventTypes()).toEqual([]);
    await import("@/server/trpc/root");
    const { domainEvents } = await import("@/services/events");
    expect(registry.registeredEventTypes()).toEqual(domainEvents.map((e) => e.type).sort());
  });

  it("is filled in the worker by its consumers alone", { timeout: 60_000 }, async () => {
    const registry = await fresh();
    await import("@/workers/consumers");
    const { domainEvents } = await import("@/services/events");
    expect(registry.registeredEventTypes()).toEqual(domainEvents.map((e) => e.type).sort());
  });

  describe("checking a new event (the outbox's check)", () => {
    const load = async () => {
      const registry = await fresh();
      await import("@/services/events");
      return registry;
    };
    const published = { templateId: "6f1c7f0e-3d7a-4d6b-9a57-2f3b8f1e9c10", version: 2, title: "Runbook", publishedBy: "user-1" };

    it("refuses an invalid payload naming the event type, schema version and the JSON path of each violation", async () => {
      const { validateNewEvent, EventSchemaError } = await load();
      const { DomainError } = await import("@/server/errors");
      let error: unknown;
      try {
        validateNewEvent("templator.events.v1.templates.TemplatePublished", undefined, { ...published, templateId: "nope", version: 0 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EventSchemaError);
      expect(error).toBeInstanceOf(DomainError);
      const e = error as InstanceType<Registry["EventSchemaError"]>;
      expect(e.code).toBe("BAD_REQUEST");
      expect(e.message).toMatch(/^event templator\.events\.v1\.templates\.TemplatePublished does not match its schema \(v1\): /);
      expect(e.violations.map((v) => v.path)).toEqual(["$.templateId", "$.version"]);
    });

    it("refuses properties the schema does not declare, deep inside too", async () => {
      const { validateNewEvent } = await load();
      expect(() => validateNewEvent("templator.events.v1.templates.TemplateUpdated", undefined, { ...published, changedFields: ["body"], colour: "red" })).toThrow(
        /\$\.colour: not in the schema \(unknown property\)/,
      );
    });

    it("writes the payload as the schema outputs it (defaults filled in) with the defined version", async () => {
      const { validateNewEvent } = await load();
      const { publishedBy: _p, ...updated } = published;
      expect(validateNewEvent("templator.events.v1.templates.TemplateUpdated", undefined, updated)).toEqual({ payload: { ...updated, changedFields: [] }, version: 1 });
    });

    it("refuses a version other than the defined one, and an event type its service does not define", async () => {
      const { validateNewEvent } = await load();
      expect(() => validateNewEvent("templator.events.v1.templates.TemplatePublished", 2, published)).toThrow(/version 2 is not the defined schema version 1/);
      expect(() => validateNewEvent("templator.events.v1.templates.TemplateExploded", undefined, {})).toThrow(/\$: no such event type; templates defines .*TemplatePublished/);
    });

    it("leaves event types of services with no registered events alone (the messaging library's own tests)", async () => {
      const { validateNewEvent } = await fresh();
      expect(validateNewEvent("templator.events.v1.templates.TemplatePublished", undefined, { anything: 1 })).toEqual({ payload: { anything: 1 }, version: undefined });
    });

    it("reads tolerantly on the consumer side: unknown properties are ignored, broken ones reported", async () => {
      const { checkEventPayload } = await load();
      expect(checkEventPayload("templator.events.v1.templates.TemplatePublished", { ...published, extra: true }, "read")?.violations).toEqual([]);
      expect(checkEventPayload("templator.events.v1.templates.TemplatePublished", { ...published, title: "" }, "read")?.violations).toEqual([
        { path: "$.title", message: expect.stringMatching(/>=1 characters/) },
      ]);
    });
  });

  it("writes JSON paths with indices and quoted keys", async () => {
    const { jsonPath } = await fresh();
    expect(jsonPath([])).toBe("$");
    expect(jsonPath(["variables", 0, "name"])).toBe("$.variables[0].name");
    expect(jsonPath(["a-b"])).toBe('$["a-b"]');
  });
});
