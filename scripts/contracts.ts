/**
 * npm run contracts:generate — writes the contracts the code defines (services/contracts/generate.ts)
 * to contracts/: OpenAPI documents of the public REST APIs and the event JSON Schemas. Commit them.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { generatedContracts } from "../services/contracts/generate";

const root = path.resolve(import.meta.dirname, "..");
const files = generatedContracts();
for (const [rel, content] of Object.entries(files)) {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}
console.log(`wrote ${Object.keys(files).length} contracts under contracts/`);
process.exit(0);
