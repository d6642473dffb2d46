#!/usr/bin/env node
// The `switchyard` executable (package.json "bin"): runs the TypeScript CLI through tsx, so that
// `npx switchyard ...` works from a checkout without a build step. The repository's tsconfig is named
// explicitly: commands that load service code need its "@/" paths, whatever directory they run in.
import process from "node:process";
import { fileURLToPath, URL } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { main } = await import("./switchyard.ts");
process.exitCode = await main(process.argv.slice(2));
