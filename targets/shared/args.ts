// Command-line arguments as `pulsewire` and a board's `./start` take them:
// node:util's parseArgs, plus what it does not do for us.

import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` strictly; throws an Error with one readable line. A value
 * that looks like a negative number (`--ticks -1`) is taken as the option's
 * value, so that the command can say what is wrong with it; parseArgs alone
 * would call it an ambiguous option.
 */
export function parseCommandArgs(args: readonly string[], options: OptionsConfig): ParsedArgs {
  const takesValue = (a: string): boolean => {
    const name = a.startsWith('--') ? a.slice(2) : Object.keys(options).find((k) => options[k].short === a.slice(1));
    return name !== undefined && options[name]?.type === 'string';
  };
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = args[i + 1];
    if (/^-(-[^=]+|[^-])$/.test(a) && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next) && takesValue(a)) {
      joined.push(a.startsWith('--') ? `${a}=${next}` : `${a}${next}`);
      i++;
    } else joined.push(a);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new Error((e as Error).message.split('. To specify')[0].split('\n')[0]);
  }
}
