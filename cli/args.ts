/**
 * Command-line parsing for `relax-studio`: the command, its options (anywhere after the command; `--opt value` or
 * `--opt=value`; `--` ends options) and its files. Returns a usage error (C5xx, exit status 2) rather than
 * throwing, and checks per command which options it takes and how many files.
 */
import type { Dialect } from '../core/ir/printer/index.js';
import type { ProgramOptions } from './run-args.js';
import { parseProgramArgs, scanArgs } from './run-args.js';

export type Command = 'fmt' | 'check' | 'graph' | 'text';

export interface Options {
  readonly command: Command;
  readonly dialect: Dialect;
  readonly outDir?: string;
  readonly json: boolean;
  readonly files: readonly string[];
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: Options }
  /** `build` and `run` (options in run-args.ts). */
  | { readonly kind: 'program'; readonly options: ProgramOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly code: string; readonly message: string };

const COMMANDS: ReadonlySet<string> = new Set(['fmt', 'check', 'graph', 'text']);
const DIALECTS: ReadonlySet<string> = new Set(['v0.26', 'classic']);

/** Which options each command accepts. */
const ACCEPTS: Readonly<Record<Command, ReadonlySet<string>>> = {
  fmt: new Set(['--dialect', '--out-dir', '--json']),
  check: new Set(['--dialect', '--json']),
  graph: new Set(['--dialect']),
  text: new Set(['--dialect']),
};

const TAKES_VALUE: ReadonlySet<string> = new Set(['--dialect', '--out-dir']);

function usageError(code: string, message: string): ParsedArgs {
  return { kind: 'usage-error', code, message };
}

/** Parses argv (without `node` and the script). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.some((a) => a === '--help' || a === '-h')) return { kind: 'help' };
  const [command, ...rest] = argv;
  if (command === undefined) return usageError('C501', 'A command is required (fmt, check, graph, text, build or run). However, none was given.');
  if (command === 'help') return { kind: 'help' };
  if (command === '--version' || command === '-V' || command === 'version') return { kind: 'version' };
  if (command === 'build' || command === 'run') return parseProgramArgs(command, rest);
  if (!COMMANDS.has(command)) {
    return usageError('C501', `The command must be one of fmt, check, graph, text, build, run or help. However, it is \`${command}\`.`);
  }
  return parseCommandArgs(command as Command, rest);
}

interface Collected {
  dialect: Dialect;
  outDir?: string;
  json: boolean;
  files: string[];
}

function parseCommandArgs(command: Command, args: readonly string[]): ParsedArgs {
  const c: Collected = { dialect: 'v0.26', json: false, files: [] };
  const accepts = new Map([...ACCEPTS[command]].map((o) => [o, TAKES_VALUE.has(o) ? 'value' : 'flag'] as const));
  for (const item of scanArgs(command, args, accepts)) {
    if (item.kind === 'file') c.files.push(item.arg);
    else if (item.kind === 'version' || item.kind === 'usage-error') return item;
    else {
      const err = applyOption(c, item.name, item.value);
      if (err) return err;
    }
  }
  return finish(command, c);
}

function applyOption(c: Collected, name: string, value: string | undefined): ParsedArgs | undefined {
  switch (name) {
    case '--dialect':
      if (!DIALECTS.has(value!)) return usageError('C503', `The option --dialect must be v0.26 or classic. However, it is \`${value}\`.`);
      c.dialect = value as Dialect;
      return undefined;
    case '--out-dir':
      c.outDir = value;
      return undefined;
    default:
      c.json = true;
      return undefined;
  }
}

function finish(command: Command, c: Collected): ParsedArgs {
  const single = command === 'graph' || command === 'text';
  if (c.files.length === 0 || (single && c.files.length !== 1)) {
    const wanted = single ? 'exactly one file' : 'at least one file';
    return usageError('C504', `\`relax-studio ${command}\` takes ${wanted}. However, ${c.files.length} ${c.files.length === 1 ? 'was' : 'were'} given.`);
  }
  const options: Options = {
    command,
    dialect: c.dialect,
    json: c.json,
    files: c.files,
    ...(c.outDir !== undefined ? { outDir: c.outDir } : {}),
  };
  return { kind: 'run', options };
}
