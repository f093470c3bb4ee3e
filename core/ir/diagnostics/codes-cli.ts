/**
 * C5xx: command-line diagnostics, emitted by `relax-studio` (cli/): usage errors (exit status 2), files that cannot
 * be read or written, graph JSON that cannot be read, and the last-resort internal error. What a file's content
 * means is reported by the parser, inference and verifier codes; these codes are only about the command itself.
 */
import type { CodeInfo } from './catalog.js';

/** Every C5xx code with a title and a one-line explanation, for the catalog, docs and `--help`. */
export const CLI_CODES: Readonly<Record<string, CodeInfo>> = {
  C501: {
    title: 'unknown command',
    doc: 'The first argument must be a command: fmt, check, graph, text or help (or --help / --version).',
  },
  C502: {
    title: 'unknown or misplaced option',
    doc: 'An option is not one the command accepts (see `relax-studio --help`).',
  },
  C503: {
    title: 'option value missing or invalid',
    doc: 'An option that takes a value (--dialect, --out-dir) has none, or a value it does not accept.',
  },
  C504: {
    title: 'wrong number of files',
    doc: 'fmt and check take one or more files; graph and text take exactly one.',
  },
  C510: {
    title: 'cannot read file',
    doc: 'An input file does not exist, is a directory, or cannot be read.',
  },
  C511: {
    title: 'cannot write file',
    doc: 'An output file (under --out-dir) cannot be created or written.',
  },
  C512: {
    title: 'output name used twice',
    doc: 'Two inputs have the same base name, so with --out-dir the later one replaces the earlier one.',
  },
  C520: {
    title: 'invalid graph JSON',
    doc: 'The input of `text` is not JSON, or not a relax-studio-graph document of a supported version.',
  },
  C599: {
    title: 'internal error',
    doc: 'relax-studio failed on this input in a way it should not. The message says where; please report it.',
  },
};
