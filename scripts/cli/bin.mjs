#!/usr/bin/env node
// The `switchyard` executable (package.json "bin"): runs the TypeScript CLI through tsx, so that
// `npx switchyard ...` works from a checkout without a build step.
import process from "node:process";
import { register } from "tsx/esm/api";

register();
const { main } = await import("./switchyard.ts");
process.exitCode = await main(process.argv.slice(2));
