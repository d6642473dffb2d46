/**
 * `switchyard`: the portal's command line (bin: scripts/cli/bin.mjs; see README "CLI").
 *   switchyard contracts diff [options] OLD... NEW    compatibility of a contract change
 *   switchyard contracts check | release              contracts/ against the code and the released baseline
 *   switchyard contracts publish                      a service version's contracts to the broker
 *   switchyard can-i-deploy | record-deployment | record-undeployment | create-environment
 */
import {
  canIDeployCommand,
  contractsPublishCommand,
  createEnvironmentCommand,
  recordDeploymentCommand,
  recordUndeploymentCommand,
} from "./broker-commands";
import { dispatch, EXIT, type TCommand, type TIo } from "./command";
import { contractsCheckCommand, contractsReleaseCommand } from "./contracts-check";
import { contractsDiffCommand } from "./contracts-diff";

/** The whole command tree; add new commands and groups here. */
export const cli: TCommand = {
  name: "switchyard",
  summary: "Switchyard, the observability-first developer portal: command line tools.",
  commands: [
    {
      name: "contracts",
      summary: "Work with API (OpenAPI) and event (JSON Schema) contracts.",
      commands: [contractsDiffCommand, contractsCheckCommand, contractsReleaseCommand, contractsPublishCommand],
    },
    canIDeployCommand,
    recordDeploymentCommand,
    recordUndeploymentCommand,
    createEnvironmentCommand,
  ],
};

const processIo: TIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
};

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], io: TIo = processIo): Promise<number> {
  try {
    return await dispatch(cli, argv, io);
  } catch (error) {
    // A bug, not a verdict: never let it look like "breaking" (1) to a CI job.
    io.stderr(`error: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.usage;
  }
}
