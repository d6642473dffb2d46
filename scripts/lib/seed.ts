import { createAppContext } from "../../server/app";
import type { Config } from "../../server/config";
import { seedDemoIdentities } from "../../services/auth/seed";
import { seedDemoContracts } from "../../services/contracts/demo";

/** Loads the demo data every fresh portal starts with (idempotent). Returns a one-line summary. */
export async function seedDemoData(config: Config): Promise<string> {
  const app = createAppContext(config, "seed");
  try {
    const ids = await seedDemoIdentities(app.db.auth);
    const contracts = await seedContracts(app);
    return `${ids.teams} teams, ${ids.users} users; contracts: ${contracts}`;
  } finally {
    await app.close();
  }
}

/** The contract broker's demo history (services/contracts/demo.ts): versions to browse and diff, pacts, verifications, deployments. */
async function seedContracts(app: ReturnType<typeof createAppContext>): Promise<string> {
  return seedDemoContracts(app.db.contracts, app.config.rootDir);
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
