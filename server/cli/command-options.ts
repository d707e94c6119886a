import { parseArgs } from 'node:util';

/** A command's options as `util.parseArgs` declares them; every one takes a value. */
type Declared = Record<string, { type: 'string' }>;

/**
 * Reads `argv` strictly (no positionals, no unknown options) with one-line
 * errors that name the option and show the command's `usage`, as the
 * dispatcher prints them before exiting with 2.
 */
export function readOptions<D extends Declared>(command: string, usage: string, argv: string[], declared: D): { [K in keyof D]?: string } {
  try {
    return parseArgs({ args: argv, options: declared, strict: true, allowPositionals: false }).values as { [K in keyof D]?: string };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const named = /'([^']+)'/.exec((error as Error).message)?.[1] ?? '';
    const option = named.replace(/ <value>$/, '');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new Error(`${command}: unknown option ${option} (usage: ${command} ${usage})`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new Error(`${command}: ${option} needs a value (usage: ${command} ${usage})`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new Error(`${command}: unexpected argument '${named}' (usage: ${command} ${usage})`);
    throw error;
  }
}

/** The value of a required option; an error naming it and what it expects when absent or empty. */
export function required(command: string, name: string, value: string | undefined, expected: string): string {
  if (value === undefined || value === '') throw new Error(`${command}: --${name} is required (${expected})`);
  return value;
}
