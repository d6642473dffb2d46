import { describe, expect, it } from "vitest";
import { parseEntityRef, relationsOf, stringifyEntityRef } from "./entity";
import { parseDescriptor } from "./load";

describe("entity references", () => {
  it("apply Backstage's defaults and compare lowercase", () => {
    expect(stringifyEntityRef(parseEntityRef("team-ai", { kind: "group" }))).toBe("group:default/team-ai");
    expect(stringifyEntityRef(parseEntityRef("Component:Auth"))).toBe("component:default/auth");
    expect(stringifyEntityRef(parseEntityRef("api:other/x", { kind: "group" }))).toBe("api:other/x");
  });

  it("needs a kind where the field does not imply one", () => {
    expect(() => parseEntityRef("templates")).toThrow(/needs a kind/);
    expect(() => parseEntityRef("a:b:c")).toThrow(/not an entity reference/);
  });
});

const component = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: templates, description: Templates }
spec:
  type: service
  lifecycle: production
  owner: team-templates
  system: templator
  providesApis: [templates-api]
  consumesApis: [auth-api]
  dependsOn: [component:auth, resource:templator-postgres]
`;

describe("catalog-info.yaml", () => {
  it("becomes an entity with ownedBy, partOf, providesApi, consumesApi and dependsOn relations", () => {
    const { entities, errors } = parseDescriptor("services/templates/catalog-info.yaml", component);
    expect(errors).toEqual([]);
    expect(entities[0]!.ref).toBe("component:default/templates");
    expect(relationsOf(entities[0]!.doc)).toEqual([
      { type: "ownedBy", targetRef: "group:default/team-templates" },
      { type: "partOf", targetRef: "system:default/templator" },
      { type: "providesApi", targetRef: "api:default/templates-api" },
      { type: "consumesApi", targetRef: "api:default/auth-api" },
      { type: "dependsOn", targetRef: "component:default/auth" },
      { type: "dependsOn", targetRef: "resource:default/templator-postgres" },
    ]);
  });

  it("rejects a document without an owner, naming the field and the document", () => {
    const { entities, errors } = parseDescriptor("x.yaml", component.replace("owner: team-templates", "") + "\n---\n" + component.replace("templates", "other"));
    expect(entities.map((e) => e.ref)).toEqual(["component:default/other"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: "x.yaml", document: 1 });
    expect(errors[0]!.message).toMatch(/spec\.owner/);
  });

  it("reports broken YAML with its line and marks the file as unreadable", () => {
    const { errors, fatal } = parseDescriptor("x.yaml", "apiVersion: backstage.io/v1alpha1\nkind: [Component\n");
    expect(fatal).toBe(true);
    expect(errors[0]!.message).toMatch(/invalid YAML \(line \d+/);
  });

  it("rejects unknown kinds and bad names", () => {
    const { errors } = parseDescriptor("x.yaml", component.replace("kind: Component", "kind: Widget") + "\n---\n" + component.replace("name: templates", "name: 'bad name!'"));
    expect(errors).toHaveLength(2);
    expect(errors[1]!.message).toMatch(/metadata\.name/);
  });
});
