/**
 * The command tree of the `switchyard` CLI. A group (`contracts`) holds commands; a leaf runs
 * with the arguments after its name. New commands (`contracts check`, `contracts publish`,
 * `can-i-deploy`) are added by listing them in `switchyard.ts`; nothing else changes.
 */

/** Where a command writes; tests pass their own. `env` is the environment (SWITCHYARD_URL, SWITCHYARD_TOKEN). */
export type TIo = { stdout(text: string): void; stderr(text: string): void; cwd: string; env?: Record<string, string | undefined> };

export type TCommand = {
  name: string;
  /** One line for the parent's help. */
  summary: string;
  /** Full help text (`--help`); for a group, generated from its children when absent. */
  usage?: string;
  /** Leaves run; groups have `commands`. */
  run?: (argv: string[], io: TIo) => Promise<number>;
  commands?: TCommand[];
};

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const HELP_FLAGS = new Set(["-h", "--help", "help"]);

function groupUsage(path: string[], group: TCommand): string {
  const width = Math.max(...(group.commands ?? []).map((c) => c.name.length));
  const lines = [
    `usage: ${path.join(" ")} <command> [options]`,
    "",
    group.summary,
    "",
    "commands:",
    ...(group.commands ?? []).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    `Run '${path.join(" ")} <command> --help' for a command's options.`,
  ];
  return `${group.usage ?? lines.join("\n")}\n`;
}

/** Walks `argv` down the tree from `root` and runs the command it names. */
export async function dispatch(root: TCommand, argv: string[], io: TIo, path: string[] = [root.name]): Promise<number> {
  const node = root;
  if (node.run) return node.run(argv, io);
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(groupUsage(path, node));
    return EXIT.usage;
  }
  if (HELP_FLAGS.has(first)) {
    io.stdout(groupUsage(path, node));
    return EXIT.ok;
  }
  const child = node.commands?.find((c) => c.name === first);
  if (!child) {
    const hint = first.startsWith("-") ? `unknown option ${first}` : `unknown command "${first}"`;
    io.stderr(`error: ${hint}\n${groupUsage(path, node)}`);
    return EXIT.usage;
  }
  return dispatch(child, rest, io, [...path, child.name]);
}
