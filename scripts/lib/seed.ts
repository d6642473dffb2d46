import { createAppContext } from "../../server/app";
import type { Config } from "../../server/config";
import { seedDemoIdentities } from "../../services/auth/seed";

/** Loads the demo data every fresh portal starts with (idempotent). Returns a one-line summary. */
export async function seedDemoData(config: Config): Promise<string> {
  const app = createAppContext(config, "seed");
  try {
    const ids = await seedDemoIdentities(app.db.auth);
    return `${ids.teams} teams, ${ids.users} users`;
  } finally {
    await app.close();
  }
}

/** How many services the catalog holds (the worker loads it at start). */
export async function countCatalogServices(config: Config): Promise<number> {
  const app = createAppContext(config, "seed");
  try {
    return await app.db.catalog.entity.count({ where: { kind: "Component" } });
  } finally {
    await app.close();
  }
}
