/**
 * Python tokenizer for the subset TVMScript is written in. One linear pass over the text (char codes, no per-character
 * regexes, one `slice` per token) produces NEWLINE / INDENT / DEDENT structure like CPython's tokenizer: implicit
 * line joining inside brackets, backslash continuations, blank and comment-only lines skipped, strings decoded,
 * numbers validated. Comments are collected separately with their spans.
 *
 * Error recovery lives here where it needs physical lines: an unclosed bracket is reported at the opener and the
 * logical line is force-ended at the next line that dedents below the statement or starts a `def`, `class`,
 * decorator, statement keyword or assignment at the statement's indentation (see `breaksOpenBracket`). Tokens whose
 * problem was already reported carry `reported: true`, so the parser does not report a second, vaguer error there.
 *
 * Leaves to the parser: keywords (names here), joining adjacent string literals, number values (`numberValue`).
 * Performance: the parser pulls tokens (`Lexer.pull`), so a 100k-line file never holds all its tokens at once.
 */
import type { Span } from '../span.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PyComment } from './pyast.js';

/** Token kinds; keywords are `name` tokens, operators and delimiters are `op` tokens with their text in `value`. */
export type TokKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof' | 'error';

/** One token. Spans are UTF-16 offsets; `value` is the identifier, operator text, number text or decoded string. */
export class Token {
  constructor(
    readonly kind: TokKind,
    readonly value: string,
    readonly start: number,
    readonly end: number,
    /** Strings: 'str' | 'bytes'. Numbers: 'int' | 'float' | 'complex'. Otherwise ''. */
    readonly sub: string = '',
    /** The tokenizer already reported a diagnostic for this token (the parser stays quiet about it). */
    readonly reported: boolean = false,
  ) {}
}

/** Everything the tokenizer learned about a text. */
export interface TokenizeResult {
  readonly tokens: Token[];
  readonly comments: PyComment[];
  readonly diagnostics: Diagnostic[];
}

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '->', '**', '//', ':=', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  ...'+-*/%@&|^~<>()[]{},:.;=',
];
/** Operators by first character code, longest first, so scanning is a few `startsWith` calls and no allocation. */
const OPS_BY_FIRST: (string[] | undefined)[] = [];
for (const op of OPERATORS) (OPS_BY_FIRST[op.charCodeAt(0)] ??= []).push(op);
const CLOSER_OF: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
/** Line starts that, at the indentation of an unclosed bracket's statement, mean the bracket was left open. */
const STATEMENT_WORDS = new Set([
  'def', 'class', 'return', 'with', 'while', 'assert', 'pass', 'import', 'from', 'elif', 'try', 'except', 'finally',
  'raise', 'del', 'global', 'nonlocal', 'break', 'continue',
]);

// Unicode's ID_Start/ID_Continue already include the Other_ID_* characters Python accepts.
const COMPOUND_WORDS = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'with']);
const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /\p{ID_Continue}/u;

function isAsciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function digitValue(c: number): number {
  if (isDigit(c)) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}
function isAsciiIdContinue(c: number): boolean {
  return isAsciiIdStart(c) || isDigit(c);
}

/** Tokenizes `text`. Never throws; problems become diagnostics and `reported` tokens. */
export function tokenize(text: string): TokenizeResult {
  const lexer = new Lexer(text);
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.pull();
    tokens.push(t);
    if (t.kind === 'eof') break;
  }
  return { tokens, comments: lexer.comments, diagnostics: lexer.diagnostics };
}

interface OpenBracket {
  readonly char: string;
  readonly pos: number;
}

/**
 * A pull tokenizer: the parser asks for one token at a time, so tokens die young instead of filling the heap
 * (for a 100k-line file that is most of the difference in GC time). Comments and diagnostics accumulate.
 */
export class Lexer {
  private pos = 0;
  private readonly queue: Token[] = [];
  private qHead = 0;
  /** Tokens in `queue` (the array is reused, never shrunk: resetting `length` per token is slow). */
  private qLen = 0;
  private readonly names: (string | undefined)[] = new Array<string | undefined>(2048);
  private lastKind: TokKind = 'newline';
  private lastTok: Token | null = null;
  /** The current logical line starts with def/class/if/elif/else/for/while/with (a block header). */
  private compoundLine = false;
  private eof: Token | null = null;
  readonly comments: PyComment[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Offsets of opening brackets reported as never closed (P102), so the parser does not report them again. */
  readonly unclosed = new Set<number>();
  /** Indentation stack: columns with tabs to multiples of 8, and with tabs as 1 (for the consistency check). */
  private readonly indents: number[] = [0];
  private readonly altIndents: number[] = [0];
  /** Levels pushed only to recover from a bad dedent: popping them emits no DEDENT (none was emitted for them). */
  private readonly phantom: boolean[] = [false];
  private brackets: OpenBracket[] = [];
  /** Indentation column of the current logical line (for unclosed-bracket recovery). */
  private lineIndent = 0;
  /** An unterminated string was reported on this physical line: end the logical line at its end, quietly. */
  private closeAtEol = false;
  private atLineStart = true;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** The next token; after the end of the text, the EOF token again and again. */
  pull(): Token {
    while (this.qHead >= this.qLen) {
      this.qHead = 0;
      this.qLen = 0;
      this.step();
    }
    return this.queue[this.qHead++]!;
  }

  /** One unit of work: a line start, a token, or the end of the text. Emits zero or more tokens. */
  private step(): void {
    if (this.eof) return this.emit(this.eof);
    const n = this.text.length;
    if (this.atLineStart && this.pos < n) {
      this.atLineStart = false;
      if (this.brackets.length === 0) {
        if (this.startLogicalLine()) return;
      } else if (this.breaksOpenBracket()) {
        this.forceCloseBrackets(true);
        if (this.startLogicalLine()) return;
      }
    }
    if (this.pos >= n) return this.finish();
    this.scanToken();
  }

  private emit(t: Token): void {
    this.queue[this.qLen++] = t;
    this.lastKind = t.kind;
    this.lastTok = t;
  }

  // ------------------------------------------------------------------ lines and indentation

  /**
   * At the start of a physical line outside brackets: measures indentation, skips blank and comment-only lines,
   * and emits INDENT/DEDENT. Returns true when the line was blank (the caller continues with the next line).
   */
  private startLogicalLine(): boolean {
    const text = this.text;
    const lineStart = this.pos;
    let i = lineStart;
    let col = 0;
    let alt = 0;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32) {
        col++;
        alt++;
      } else if (c === 9) {
        col = (Math.floor(col / 8) + 1) * 8;
        alt++;
      } else if (c === 12) {
        col = 0;
        alt = 0;
      } else {
        break;
      }
      i++;
    }
    const c = text.charCodeAt(i);
    if (i >= text.length || c === 10 || c === 13 || c === 35 || (c === 92 && this.isLineEnd(i + 1))) {
      // Blank, comment-only, or a lone backslash continuation: no logical line here.
      this.pos = i;
      if (c === 35) this.scanComment();
      if (c === 92) this.pos++;
      this.skipNewline();
      return true;
    }
    this.pos = i;
    this.lineIndent = col;
    this.compoundLine = this.startsCompound(i);
    this.emitIndentation(col, alt, lineStart, i);
    return false;
  }

  private emitIndentation(col: number, alt: number, lineStart: number, first: number): void {
    const top = this.indents[this.indents.length - 1]!;
    const altTop = this.altIndents[this.altIndents.length - 1]!;
    if (col > top) {
      if (alt <= altTop) this.tabError(lineStart, first);
      this.pushLevel(col, alt, false);
      this.emit(new Token('indent', '', lineStart, first));
      return;
    }
    if (col === top) {
      if (alt !== altTop) this.tabError(lineStart, first);
      return;
    }
    while (col < this.indents[this.indents.length - 1]!) {
      this.indents.pop();
      this.altIndents.pop();
      if (!this.phantom.pop()) this.emit(new Token('dedent', '', first, first));
    }
    const newTop = this.indents[this.indents.length - 1]!;
    if (col !== newTop) {
      // Recover by treating this column as the current level, so the lines that follow at it are not errors too.
      this.pushLevel(col, alt, true);
      this.error(
        'P105',
        `A line that dedents must return to the indentation of an enclosing block (column ${newTop + 1}). However, this line starts at column ${col + 1}.`,
        { start: lineStart, end: first },
      );
    } else if (alt !== this.altIndents[this.altIndents.length - 1]) {
      this.tabError(lineStart, first);
    }
  }

  private pushLevel(col: number, alt: number, phantom: boolean): void {
    this.indents.push(col);
    this.altIndents.push(alt);
    this.phantom.push(phantom);
  }

  private tabError(lineStart: number, first: number): void {
    this.error(
      'P111',
      'Indentation must mean the same whatever the tab width. However, this line mixes tabs and spaces inconsistently with the lines before it.',
      { start: lineStart, end: first },
    );
  }

  /**
   * Inside brackets at the start of a physical line: decides whether the bracket was left open by mistake.
   * True when the line is indented less than the statement that opened it, starts with a statement keyword
   * (`def`, `return`, `with`, ...), at the same indentation starts a decorator or an assignment (`name =`, `name:`),
   * or is indented after a line ending in ':' inside a compound statement's header (`def f(x: T:` + body).
   */
  private breaksOpenBracket(): boolean {
    const text = this.text;
    let i = this.pos;
    let col = 0;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32) col++;
      else if (c === 9) col = (Math.floor(col / 8) + 1) * 8;
      else break;
      i++;
    }
    const c = text.charCodeAt(i);
    if (i >= text.length || c === 10 || c === 13 || c === 35) return false;
    if (col < this.lineIndent) return true;
    let j = i;
    while (j < text.length && isAsciiIdContinue(text.charCodeAt(j))) j++;
    // No expression continues with `return`, `def`, `with`, ...: at any indentation they start a statement.
    if (j > i && isAsciiIdStart(c) && STATEMENT_WORDS.has(text.slice(i, j))) return true;
    if (col > this.lineIndent) return this.compoundLine && this.lastTok?.kind === 'op' && this.lastTok.value === ':';
    if (c === 64) return true; // '@' decorator
    return j > i && isAsciiIdStart(c) && this.looksLikeAssignment(j);
  }

  private startsCompound(i: number): boolean {
    const text = this.text;
    let j = i;
    while (j < text.length && isAsciiIdContinue(text.charCodeAt(j))) j++;
    return j > i && COMPOUND_WORDS.has(text.slice(i, j));
  }

  /** After a leading name: `(.name)* [, name...] =` (not `==`) or `name:` marks a new statement. */
  private looksLikeAssignment(from: number): boolean {
    const text = this.text;
    let j = from;
    for (;;) {
      while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
      const c = text.charCodeAt(j);
      if (c === 46 || c === 44) {
        j++;
        while (text.charCodeAt(j) === 32) j++;
        if (!isAsciiIdStart(text.charCodeAt(j))) return false;
        while (isAsciiIdContinue(text.charCodeAt(j))) j++;
        continue;
      }
      if (c === 61) return text.charCodeAt(j + 1) !== 61;
      return c === 58 && text.charCodeAt(j + 1) !== 61;
    }
  }

  /** Ends the logical line early because its brackets cannot all be closed; reports each opener. */
  private forceCloseBrackets(report: boolean): void {
    if (report) for (const b of this.brackets) this.reportUnclosed(b);
    this.brackets = [];
    const at = this.lastNewlinePos();
    this.emit(new Token('newline', '', at, at, '', true));
  }

  private reportUnclosed(b: OpenBracket): void {
    this.unclosed.add(b.pos);
    this.error(
      'P102',
      `Brackets must be closed. However, '${b.char}' opened here was never closed.`,
      { start: b.pos, end: b.pos + 1 },
    );
  }

  /** Offset of the line break that ended the previous physical line (or the current position at EOF). */
  private lastNewlinePos(): number {
    let i = this.pos;
    const text = this.text;
    while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
    if (i === 0) return this.pos;
    i--;
    if (text.charCodeAt(i) === 10 && i > 0 && text.charCodeAt(i - 1) === 13) i--;
    return i;
  }

  private isLineEnd(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return i >= this.text.length || c === 10 || c === 13;
  }

  /** Consumes one line break (\n, \r\n or \r) if present and marks the start of a new physical line. */
  private skipNewline(): void {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === 13) this.pos += text.charCodeAt(this.pos + 1) === 10 ? 2 : 1;
    else if (c === 10) this.pos++;
    this.atLineStart = true;
    this.closeAtEol = false;
  }

  private finish(): void {
    const n = this.text.length;
    if (this.brackets.length > 0) {
      for (const b of this.brackets) this.reportUnclosed(b);
      this.brackets = [];
      this.emit(new Token('newline', '', n, n, '', true));
    } else {
      const last = this.lastKind;
      if (last !== 'newline' && last !== 'dedent' && last !== 'indent') {
        this.emit(new Token('newline', '', n, n));
      }
    }
    while (this.indents.length > 1) {
      this.indents.pop();
      if (!this.phantom.pop()) this.emit(new Token('dedent', '', n, n));
    }
    this.eof = new Token('eof', '', n, n);
    this.emit(this.eof);
  }

  // ------------------------------------------------------------------ tokens

  private scanToken(): void {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === 32 || c === 9 || c === 12) {
      this.pos++;
      return;
    }
    if (c === 10 || c === 13) return this.lineBreak();
    if (c === 35) return this.scanComment();
    if (c === 92) return this.backslash();
    if (isAsciiIdStart(c)) return this.scanNameOrString();
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(start + 1)))) return this.scanNumber();
    if (c === 34 || c === 39) return this.scanString(start, start, '');
    if (c > 127) return this.scanUnicode();
    this.scanOperator();
  }

  private lineBreak(): void {
    const start = this.pos;
    if (this.brackets.length > 0 && this.closeAtEol) {
      this.brackets = [];
      this.emit(new Token('newline', '', start, start, '', true));
    } else if (this.brackets.length === 0) {
      this.emit(new Token('newline', '', start, start + 1));
    }
    this.skipNewline();
  }

  private scanComment(): void {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      i++;
    }
    this.comments.push({ text: text.slice(start + 1, i), span: { start, end: i } });
    this.pos = i;
  }

  private backslash(): void {
    const start = this.pos;
    this.pos++;
    if (this.isLineEnd(this.pos)) {
      if (this.pos >= this.text.length) {
        this.error('P109', 'A backslash continues a line onto the next one. However, the file ends after it.', {
          start,
          end: start + 1,
        });
        return;
      }
      // Join with the next physical line: consume the break without NEWLINE or indentation handling.
      const c = this.text.charCodeAt(this.pos);
      this.pos += c === 13 && this.text.charCodeAt(this.pos + 1) === 10 ? 2 : 1;
      return;
    }
    this.error(
      'P109',
      'A backslash outside a string must end its line (line continuation). However, it is followed by more text.',
      { start, end: start + 1 },
    );
    this.emit(new Token('error', '\\', start, start + 1, '', true));
  }

  private scanNameOrString(): void {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (isAsciiIdContinue(c)) i++;
      else if (c > 127) return this.scanUnicode();
      else break;
    }
    const q = text.charCodeAt(i);
    if ((q === 34 || q === 39) && i - start <= 2) {
      const prefix = text.slice(start, i).toLowerCase();
      if (STRING_PREFIXES.has(prefix)) return this.scanString(start, i, prefix);
    }
    this.pos = i;
    this.emit(new Token('name', this.intern(start, i), start, i));
  }

  /**
   * The text of a short name or number, shared with earlier occurrences when the cache slot matches: TVMScript
   * repeats `R`, `T`, `x`, `float32` endlessly, and sharing the strings keeps big files' trees small.
   */
  intern(start: number, end: number): string {
    const text = this.text;
    if (end - start > 16) return text.slice(start, end);
    let h = end - start;
    for (let k = start; k < end; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
    const slot = h & 2047;
    const cached = this.names[slot];
    if (cached !== undefined && cached.length === end - start && text.startsWith(cached, start)) return cached;
    const s = text.slice(start, end);
    this.names[slot] = s;
    return s;
  }

  /** A name containing non-ASCII letters (normalized to NFKC as Python does), or an invalid character. */
  private scanUnicode(): void {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let first = true;
    while (i < text.length) {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      const ok = cp < 128 ? (first ? isAsciiIdStart(cp) : isAsciiIdContinue(cp)) : (first ? ID_START : ID_CONTINUE).test(ch);
      if (!ok) break;
      i += ch.length;
      first = false;
    }
    if (i === start) {
      const cp = text.codePointAt(start)!;
      const len = cp > 0xffff ? 2 : 1;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      this.error(
        'P109',
        `Python source may use this character only inside strings and comments. However, U+${hex} was found here.`,
        { start, end: start + len },
      );
      this.emit(new Token('error', text.slice(start, start + len), start, start + len, '', true));
      this.pos = start + len;
      return;
    }
    this.pos = i;
    this.emit(new Token('name', text.slice(start, i).normalize('NFKC'), start, i));
  }

  private scanOperator(): void {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    const candidates = c < 128 ? OPS_BY_FIRST[c] : undefined;
    if (candidates) for (const op of candidates) if (text.startsWith(op, start)) return this.pushOp(op, start);
    const one = text[start]!;
    const hex = c.toString(16).toUpperCase().padStart(4, '0');
    this.error(
      'P109',
      `Python source may use '${one}' only inside strings and comments. However, it was found here (U+${hex}).`,
      { start, end: start + 1 },
    );
    this.emit(new Token('error', one, start, start + 1, '', true));
    this.pos = start + 1;
  }

  private pushOp(op: string, start: number): void {
    this.pos = start + op.length;
    let reported = false;
    if (op === '(' || op === '[' || op === '{') this.brackets.push({ char: op, pos: start });
    else if (op === ')' || op === ']' || op === '}') reported = this.closeBracket(op, start);
    this.emit(new Token('op', op, start, this.pos, '', reported));
  }

  /** Matches a closing bracket against the stack; returns true when a problem was reported. */
  private closeBracket(op: string, start: number): boolean {
    const stack = this.brackets;
    const top = stack[stack.length - 1];
    if (top && CLOSER_OF[top.char] === op) {
      stack.pop();
      return false;
    }
    let k = stack.length - 1;
    while (k >= 0 && CLOSER_OF[stack[k]!.char] !== op) k--;
    const span = { start, end: start + 1 };
    if (k < 0) {
      const msg = top
        ? `A closing bracket must match the innermost open bracket. However, '${op}' does not match '${top.char}'.`
        : `Every closing bracket must match an opening one. However, '${op}' has no matching opening bracket.`;
      this.error('P103', msg, span, top ? [{ span: { start: top.pos, end: top.pos + 1 }, message: `'${top.char}' opened here` }] : undefined);
      stack.pop(); // the wrong closer still ends the innermost bracket, so it is not reported again as unclosed
      return true;
    }
    // A matching opener further out: the ones inside it were never closed.
    for (let j = k + 1; j < stack.length; j++) this.reportUnclosed(stack[j]!);
    stack.length = k;
    return true;
  }

  // ------------------------------------------------------------------ numbers

  private scanNumber(): void {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let sub = 'int';
    let bad = '';
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1) | 0x20;
    if (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      const base = c1 === 120 ? 16 : c1 === 111 ? 8 : 2;
      i += 2;
      if (text.charCodeAt(i) === 95) i++;
      const r = this.digits(i, base);
      if (r.count === 0) bad = 'it has no digits after its base prefix';
      else if (r.bad) bad = r.bad;
      i = r.end;
    } else {
      const r = this.digits(i, 10);
      i = r.end;
      bad = r.bad;
      const intDigits = text.slice(start, i);
      let isFloat = false;
      if (text.charCodeAt(i) === 46 && !(text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46)) {
        isFloat = true;
        i++;
        if (isDigit(text.charCodeAt(i))) {
          const f = this.digits(i, 10);
          i = f.end;
          bad ||= f.bad;
        }
      }
      const e = text.charCodeAt(i) | 0x20;
      if (e === 101) {
        isFloat = true;
        i++;
        const s = text.charCodeAt(i);
        if (s === 43 || s === 45) i++;
        const x = this.digits(i, 10);
        if (x.count === 0) bad ||= 'its exponent has no digits';
        bad ||= x.bad;
        i = x.end;
      }
      if ((text.charCodeAt(i) | 0x20) === 106) {
        sub = 'complex';
        i++;
      } else if (isFloat) sub = 'float';
      else if (intDigits.length > 1 && c0 === 48 && /^0+[1-9]/.test(intDigits.replace(/_/g, ''))) {
        bad ||= 'decimal integers cannot have leading zeros (use 0o for octal)';
      }
    }
    if (i < text.length && (isAsciiIdContinue(text.charCodeAt(i)) || text.charCodeAt(i) > 127)) {
      bad ||= `it runs into '${text[i]}'`;
      while (i < text.length && isAsciiIdContinue(text.charCodeAt(i))) i++;
    }
    this.pos = i;
    const raw = this.intern(start, i);
    if (bad) {
      this.error(
        'P108',
        `A number literal must be well formed. However, '${raw}' is not: ${bad}.`,
        { start, end: i },
      );
    }
    this.emit(new Token('number', raw, start, i, sub, bad !== ''));
  }

  /** Digits of a base with single underscores between them. */
  private digits(from: number, base: number): { end: number; count: number; bad: string } {
    const text = this.text;
    let i = from;
    let count = 0;
    let bad = '';
    let lastUnderscore = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 95) {
        if (lastUnderscore || count === 0) bad ||= 'underscores must sit between digits';
        lastUnderscore = true;
        i++;
        continue;
      }
      const d = digitValue(c);
      if (d < 0 || (base === 10 && d >= 10)) break;
      if (d >= base) {
        if (d >= 10) break;
        bad ||= `'${text[i]}' is not a base-${base} digit`;
      }
      lastUnderscore = false;
      count++;
      i++;
    }
    if (lastUnderscore) bad ||= 'underscores must sit between digits';
    return { end: i, count, bad };
  }

  // ------------------------------------------------------------------ strings

  /** A string literal starting at `quotePos` (after a prefix that starts at `start`). */
  private scanString(start: number, quotePos: number, prefix: string): void {
    const text = this.text;
    const q = text.charCodeAt(quotePos);
    const triple = text.charCodeAt(quotePos + 1) === q && text.charCodeAt(quotePos + 2) === q;
    const bodyStart = quotePos + (triple ? 3 : 1);
    let i = bodyStart;
    let hasEscape = false;
    let end = -1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 92) {
        hasEscape = true;
        i += text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
        continue;
      }
      if (c === q && (!triple || (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q))) {
        end = i;
        break;
      }
      if (!triple && (c === 10 || c === 13)) break;
      i++;
    }
    const unterminated = end < 0;
    const bodyEnd = unterminated ? Math.min(i, text.length) : end;
    this.pos = unterminated ? bodyEnd : end + (triple ? 3 : 1);
    if (unterminated) this.reportUnterminated(start, quotePos, triple);
    const body = text.slice(bodyStart, bodyEnd);
    const isBytes = prefix.includes('b');
    const isRaw = prefix.includes('r');
    let value = body;
    if (hasEscape && !isRaw) value = this.decodeEscapes(body, bodyStart, isBytes);
    else if (hasEscape && isRaw) value = body.replace(/\r\n?/g, '\n');
    if (triple && !hasEscape && body.includes('\r')) value = value.replace(/\r\n?/g, '\n');
    if (prefix.includes('f') && body.includes('{')) this.reportFString(start, this.pos);
    this.emit(new Token('string', value, start, this.pos, isBytes ? 'bytes' : 'str', unterminated));
  }

  private reportUnterminated(start: number, quotePos: number, triple: boolean): void {
    const quote = this.text.slice(quotePos, quotePos + (triple ? 3 : 1));
    const where = triple ? 'the file ends' : 'the line ends';
    this.error(
      'P104',
      `A string literal must end with the quote that opened it (${quote}). However, ${where} before the closing quote.`,
      { start, end: quotePos + quote.length },
    );
    if (!triple) this.closeAtEol = true;
  }

  private reportFString(start: number, end: number): void {
    this.diagnostics.push({
      code: 'P112',
      severity: 'warning',
      message: 'TVMScript does not evaluate f-string fields. However, this f-string has {...} fields; it is read as plain text.',
      span: { start, end },
    });
  }

  /** Decodes backslash escapes of a non-raw string body. */
  private decodeEscapes(body: string, offset: number, isBytes: boolean): string {
    let out = '';
    let i = 0;
    let run = 0;
    while (i < body.length) {
      const c = body.charCodeAt(i);
      if (c !== 92) {
        if (c === 13) {
          out += body.slice(run, i) + '\n';
          i += body.charCodeAt(i + 1) === 10 ? 2 : 1;
          run = i;
          continue;
        }
        i++;
        continue;
      }
      out += body.slice(run, i);
      const r = this.escape(body, i, offset, isBytes);
      out += r.text;
      i = r.next;
      run = i;
    }
    return out + body.slice(run);
  }

  private escape(body: string, i: number, offset: number, isBytes: boolean): { text: string; next: number } {
    const e = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) return { text: simple, next: i + 2 };
    if (e === '\n') return { text: '', next: i + 2 };
    if (e === '\r') return { text: '', next: body[i + 2] === '\n' ? i + 3 : i + 2 };
    if (e >= '0' && e <= '7') {
      let j = i + 1;
      while (j < i + 4 && body[j]! >= '0' && body[j]! <= '7') j++;
      return { text: String.fromCharCode(parseInt(body.slice(i + 1, j), 8)), next: j };
    }
    const width = e === 'x' ? 2 : !isBytes && e === 'u' ? 4 : !isBytes && e === 'U' ? 8 : 0;
    if (width > 0) return this.hexEscape(body, i, width, offset);
    if (e === 'N' && !isBytes) return this.namedEscape(body, i, offset);
    return { text: '\\' + e, next: i + 2 };
  }

  private hexEscape(body: string, i: number, width: number, offset: number): { text: string; next: number } {
    const hex = body.slice(i + 2, i + 2 + width);
    const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? parseInt(hex, 16) : -1;
    if (cp < 0 || cp > 0x10ffff) {
      this.error(
        'P115',
        `A \\${body[i + 1]} escape needs exactly ${width} hex digits naming a character. However, '${body.slice(i, i + 2 + width)}' does not.`,
        { start: offset + i, end: offset + Math.min(body.length, i + 2 + width) },
      );
      return { text: '', next: Math.min(body.length, i + 2 + (cp < 0 ? 0 : width)) };
    }
    return { text: String.fromCodePoint(cp), next: i + 2 + width };
  }

  private namedEscape(body: string, i: number, offset: number): { text: string; next: number } {
    const close = body.indexOf('}', i);
    const name = body[i + 2] === '{' && close > 0 ? body.slice(i + 3, close).toUpperCase() : null;
    const ch = name === null ? undefined : NAMED_CHARS[name];
    if (ch === undefined) {
      this.error(
        'P115',
        `A \\N{...} escape must name a character this tool knows. However, '${body.slice(i, close > 0 ? close + 1 : i + 2)}' is not one of them.`,
        { start: offset + i, end: offset + (close > 0 ? close + 1 : i + 2) },
      );
      return { text: '', next: close > 0 ? close + 1 : i + 2 };
    }
    return { text: ch, next: close + 1 };
  }

  private error(code: string, message: string, span: Span, related?: Diagnostic['related']): void {
    this.diagnostics.push({ code, severity: 'error', message, span, ...(related ? { related } : {}) });
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};
/** The few \N{...} names worth knowing in TVMScript text; others are reported rather than guessed. */
const NAMED_CHARS: Record<string, string> = {
  SPACE: ' ', 'NO-BREAK SPACE': '\u00a0', 'LATIN SMALL LETTER A': 'a', BULLET: '\u2022', 'EM DASH': '\u2014',
  'GREEK SMALL LETTER ALPHA': '\u03b1', 'MULTIPLICATION SIGN': '\u00d7', 'LINE FEED': '\n', 'CHARACTER TABULATION': '\t',
};

/**
 * The value of a number token: `number` for ints that fit exactly and for floats, `bigint` for larger ints,
 * the imaginary part for complex literals. Malformed literals give NaN (they were already reported).
 */
export function numberValue(raw: string, sub: string): number | bigint {
  const clean = raw.includes('_') ? raw.replace(/_/g, '') : raw;
  if (sub === 'int' && clean.length <= 15 && (clean.length === 1 || clean.charCodeAt(0) !== 48)) return Number(clean);
  if (sub === 'complex') return Number(clean.slice(0, -1));
  if (sub === 'float') return Number(clean);
  const p = clean.charCodeAt(1) | 0x20;
  let big: bigint;
  try {
    big = clean.length > 1 && (p === 120 || p === 111 || p === 98) ? BigInt(clean) : BigInt(clean.replace(/^0+(?=\d)/, ''));
  } catch {
    return NaN;
  }
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}
