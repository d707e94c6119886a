import { keysCommand } from './keys-command.ts';
import { serveCommand } from './serve-command.ts';
import { tokenCommand } from './token-command.ts';

const USAGE = `Usage: footprint <command> [options]

  serve  --data DIR [--port 8787] [--host 127.0.0.1] [--config FILE]
         [--clickhouse URL [--database footprint]]
         Runs the Footprint server (README "Server"); events in ClickHouse
         with --clickhouse (README "Scaling out with ClickHouse").
  keys   create --data DIR --project P --role write|read|admin [--label L]
         list   --data DIR [--project P]
         revoke --data DIR --id ID
  token  --data DIR --project P --ttl SECONDS [--kinds k1,k2] [--where JSON]
         Mints an embed token for fp-source.`;

const COMMANDS: Record<string, (argv: string[], print: (line: string) => void) => Promise<void>> = {
  serve: serveCommand,
  keys: keysCommand,
  token: tokenCommand,
};

/**
 * The `footprint` command: runs one subcommand; a wrong or missing option
 * ends it with one line naming the option, and exit code 2.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    print(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`footprint: unknown command '${command}'\n${USAGE}\n`);
    return 2;
  }
  try {
    await run(rest, print);
    return 0;
  } catch (error) {
    // Option errors start with the command's name (`token: --ttl is required ...`); others get it here.
    const message = (error as Error).message;
    process.stderr.write(`footprint ${message.startsWith(`${command}: `) ? message : `${command}: ${message}`}\n`);
    return 2;
  }
}

// Run as a program (`node server/cli/main.ts`, or the built bin), not when imported.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await main(process.argv.slice(2));
}
