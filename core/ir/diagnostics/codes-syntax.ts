/**
 * P1xx: Python syntax diagnostics, emitted by the tokenizer (`../parser/tokenizer.ts`) and the Python-subset parser
 * (`../parser/py-parser.ts`). These cover only the shape of the text; what TVMScript means by it (R2xx, T3xx) is
 * left to the dialect builders. Codes are stable: tests and docs refer to them.
 */
import type { CodeInfo } from './catalog.js';

/** Every P1xx code with a title and a one-line explanation, for the catalog, docs and the CLI `explain` command. */
export const SYNTAX_CODES: Readonly<Record<string, CodeInfo>> = {
  P101: {
    title: 'unexpected token',
    doc: 'The parser expected something else at this point (an expression, a closing bracket, a colon, ...).',
  },
  P102: {
    title: 'unclosed bracket',
    doc: 'An opening (, [ or { was never closed. Parsing resumes at the next line that dedents or starts a def, class or decorator.',
  },
  P103: {
    title: 'unmatched closing bracket',
    doc: 'A closing ), ] or } has no opening bracket, or closes a bracket of another kind.',
  },
  P104: {
    title: 'unterminated string',
    doc: 'A string literal reaches the end of its line (or, for triple quotes, the end of the file) without its closing quote.',
  },
  P105: {
    title: 'inconsistent dedent',
    doc: 'A line is indented less than the line before, but not to the level of any enclosing block.',
  },
  P106: {
    title: 'unexpected indent',
    doc: 'A line is indented more than the line before, but the line before does not open a block (it does not end with a colon).',
  },
  P107: {
    title: 'expected an indented block',
    doc: 'A line ending with a colon (def, class, if, for, while, with, ...) must be followed by an indented block.',
  },
  P108: {
    title: 'invalid number',
    doc: 'A number literal is malformed: misplaced underscores, missing digits, digits invalid for its base, or a leading zero.',
  },
  P109: {
    title: 'invalid character',
    doc: 'A character that cannot appear in Python source outside strings and comments (for example `$`, `?`, or a non-breaking space).',
  },
  P110: {
    title: 'unsupported statement',
    doc: 'A Python statement that TVMScript does not use (break, continue, del, raise, try, global, ...).',
  },
  P111: {
    title: 'inconsistent tabs and spaces',
    doc: 'Indentation mixes tabs and spaces so that its meaning depends on the tab width.',
  },
  P112: {
    title: 'unsupported expression',
    doc: 'A Python expression form that TVMScript does not use (comprehensions, `:=`, `yield`, `await`, f-string fields).',
  },
  P113: {
    title: 'invalid assignment target',
    doc: 'Only names, attributes, subscripts and tuples or lists of them can be assigned to.',
  },
  P114: {
    title: 'invalid argument list',
    doc: 'In a call, positional arguments must come before keyword arguments and a keyword may be given only once.',
  },
  P115: {
    title: 'invalid escape sequence',
    doc: 'A string escape such as \\x, \\u or \\N is incomplete or names no character.',
  },
  P116: {
    title: 'invalid parameter list',
    doc: 'Parameters must have distinct names, and a parameter without a default cannot follow one with a default.',
  },
  P117: {
    title: 'nesting too deep',
    doc: 'Brackets, operators or blocks nest deeper than the parser follows (a few hundred levels); the text is not read past that point.',
  },
};
