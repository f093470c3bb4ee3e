/**
 * Recursive-descent parser for the Python subset TVMScript is written in, producing the syntax tree of `pyast.ts`.
 * Every TVMScript dialect (Relax, TIR, the RFC spelling) is read through it; what the tree means is left to the
 * dialect builders (`relax-builder.ts`, `tir-builder.ts`).
 *
 * It never throws. A statement that cannot be parsed gets one diagnostic (P1xx, see `codes-syntax.ts`), becomes an
 * `ErrorStmt` in loose mode (and is dropped in strict mode), and parsing resumes at the next logical line; the
 * tokenizer already ends a logical line early where a bracket was left open. In loose mode an assignment or return
 * whose value cannot be parsed keeps its target with an `ErrorExpr` value, so editors still see the binding.
 *
 * Internally a failed statement unwinds with a `ParseFail` exception caught at statement level; this keeps the
 * happy path free of error plumbing. Expression precedence follows Python's grammar (lambda < ternary < or < and <
 * not < comparisons < | < ^ < & < shifts < + - < * / // % @ < unary < ** < primary).
 *
 * Spans: statements and expressions cover their tokens; a def or class span starts at its first decorator.
 * Accepted and not kept (TVMScript has no use for them): PEP 695 bounds, bare `*` / `/` parameter markers, lambda
 * defaults, class keywords (`metaclass=`).
 *
 * Size: one grammar is one class with a shared cursor, so the file runs past 800 lines; splitting expressions out
 * would mean exporting the cursor. Functions stay small.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../span.js';
import type * as A from './pyast.js';
import { Lexer, numberValue, type Token } from './tokenizer.js';

/** Options for `parsePython`. */
export interface PyParseOptions {
  /** Keep unparsable statements and values as ErrorStmt / ErrorExpr nodes (for editors). */
  readonly loose?: boolean;
}

/** The tree and every P1xx diagnostic for a text. */
export interface PyParseResult {
  readonly module: A.PyModule;
  readonly diagnostics: Diagnostic[];
}

/** Parses Python source text into a `PyModule`. Never throws, in either mode; problems come back as diagnostics. */
export function parsePython(text: string, opts: PyParseOptions = {}): PyParseResult {
  const lexer = new Lexer(text);
  const diagnostics = lexer.diagnostics;
  let body: A.PyStmt[] = [];
  try {
    body = new Parser(lexer, diagnostics, opts.loose === true).parseModule();
  } catch (e) {
    // Only reachable on a bug or on pathological input deeper than the nesting guards allow.
    diagnostics.push({
      code: 'P117',
      severity: 'error',
      message: `The parser must be able to read the whole text. However, it stopped: ${e instanceof Error ? e.message : String(e)}.`,
      span: { start: 0, end: 0 },
    });
  }
  diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const module: A.PyModule = { kind: 'Module', body, comments: lexer.comments, span: { start: 0, end: text.length } };
  return { module, diagnostics };
}

/** Thrown to abandon the current statement; its diagnostic has already been recorded. */
class ParseFail {
  constructor(readonly token: Token) {}
}

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
const UNSUPPORTED_SIMPLE = new Set(['break', 'continue', 'global', 'nonlocal', 'del', 'raise']);
const UNSUPPORTED_COMPOUND = new Set(['try', 'except', 'finally', 'async']);
const BIN_PREC: Record<string, number> = {
  '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '//': 6, '%': 6, '@': 6,
};
const AUG_OPS: Record<string, A.PyBinOpKind> = {
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '//=': '//', '%=': '%', '**=': '**', '@=': '@', '<<=': '<<',
  '>>=': '>>', '&=': '&', '|=': '|', '^=': '^',
};
const SIMPLE_CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);
const SUPPORTED = 'def, class, assignments, if/else, for, while, with, return, assert, pass and imports';
/** Nesting beyond this is reported instead of risking the JavaScript stack. */
const MAX_DEPTH = 300;

class Parser {
  /** Absolute index of the current token. */
  private i = 0;
  /** Tokens pulled from the lexer and not yet discarded; `buf[0]` has absolute index `base`. */
  private buf: Token[] = [];
  private base = 0;
  /** The last token consumed. */
  private prev: Token | null = null;
  /** End offset of the last consumed token that has text (not NEWLINE/INDENT/DEDENT). */
  private lastEnd = 0;
  private depth = 0;

  constructor(
    private readonly lexer: Lexer,
    private readonly diags: Diagnostic[],
    private readonly loose: boolean,
  ) {}

  // ------------------------------------------------------------------ token helpers

  /** The token at absolute index `k` (k >= this.i - a few), pulling from the lexer as needed. */
  private tok(k: number): Token {
    const j = k - this.base;
    const buf = this.buf;
    while (j >= buf.length) buf.push(this.lexer.pull());
    return buf[j]!;
  }
  private peek(): Token {
    return this.tok(this.i);
  }
  private peekAt(k: number): Token {
    return this.tok(this.i + k);
  }
  private next(): Token {
    const t = this.tok(this.i);
    if (t.kind !== 'eof') this.i++;
    if (t.kind !== 'newline' && t.kind !== 'indent' && t.kind !== 'dedent') this.lastEnd = t.end;
    this.prev = t;
    if (this.i - this.base > 4096) {
      // Drop consumed tokens so they can be collected young.
      this.buf = this.buf.slice(this.i - this.base);
      this.base = this.i;
    }
    return t;
  }
  private isOp(v: string): boolean {
    const t = this.tok(this.i);
    return t.kind === 'op' && t.value === v;
  }
  private isKw(v: string): boolean {
    const t = this.tok(this.i);
    return t.kind === 'name' && t.value === v;
  }
  private eatOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.next();
    return true;
  }
  private expectOp(v: string, context: string): Token {
    if (!this.isOp(v)) this.failHere(`${context} needs '${v}' here`);
    return this.next();
  }
  private expectKw(v: string, context: string): Token {
    if (!this.isKw(v)) this.failHere(`${context} needs '${v}' here`);
    return this.next();
  }
  private expectName(context: string): Token {
    const t = this.peek();
    if (t.kind !== 'name' || KEYWORDS.has(t.value)) this.failHere(`${context} needs a name here`);
    return this.next();
  }
  /** A closing bracket; at a forced line end the tokenizer has already reported the unclosed opener. */
  private expectClose(closer: string, opener: Token): Token {
    if (this.isOp(closer)) return this.next();
    // Read to the end of the logical line: only then does the lexer know whether it reported the opener.
    for (let k = this.i; ; k++) {
      const kind = this.tok(k).kind;
      if (kind === 'newline' || kind === 'eof') break;
    }
    if (this.lexer.unclosed.has(opener.start)) throw new ParseFail(this.peek());
    return this.failHere(`'${opener.value}' must be closed with '${closer}' (or continued with ',')`);
  }

  // ------------------------------------------------------------------ diagnostics

  private report(code: string, message: string, span: Span): void {
    this.diags.push({ code, severity: 'error', message, span });
  }
  /** P101 at the current token (quiet if the tokenizer already reported it), then abandon the statement. */
  private failHere(rule: string): never {
    const t = this.peek();
    if (!t.reported) this.report('P101', `${capitalize(rule)}. However, found ${describe(t)}.`, tokSpan(t));
    throw new ParseFail(t);
  }
  private failWith(code: string, message: string, span: Span): never {
    this.report(code, message, span);
    throw new ParseFail(this.peek());
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      this.failWith('P117', `Nesting must stay within ${MAX_DEPTH} levels. However, it goes deeper here.`, tokSpan(this.peek()));
    }
  }

  // ------------------------------------------------------------------ statements

  parseModule(): A.PyStmt[] {
    const body: A.PyStmt[] = [];
    while (this.peek().kind !== 'eof') this.parseStatementInto(body);
    return body;
  }

  /** Statements of an indented block (after its INDENT) up to and including the DEDENT. */
  private parseBlockBody(): A.PyStmt[] {
    const body: A.PyStmt[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'dedent') {
        this.next();
        break;
      }
      this.parseStatementInto(body);
    }
    return body;
  }

  private parseStatementInto(into: A.PyStmt[]): void {
    const start = this.peek();
    const at = this.i;
    if (start.kind === 'newline') return void this.next(); // an empty logical line left by recovery
    if (start.kind === 'indent') return this.unexpectedIndent(into);
    const savedDepth = this.depth;
    try {
      this.parseStatement(into);
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e;
      this.depth = savedDepth;
      this.recover(start, at, into);
    }
    if (this.i === at) this.next(); // guarantee progress
  }

  private unexpectedIndent(into: A.PyStmt[]): void {
    const t = this.next();
    const first = this.peek();
    if (!t.reported) {
      this.report('P106', 'A line may be indented more than the one before only to start a block after a colon. However, this line is indented with no block to open.', { start: first.start, end: first.end });
    }
    for (const s of this.parseBlockBody()) into.push(s);
  }

  /** Skips the rest of a failed logical line (and the block it opens, if it ends with a colon). */
  private recover(start: Token, startIndex: number, into: A.PyStmt[]): void {
    this.skipRestOfLine();
    const before = this.prev;
    const endsWithColon = before !== null && before.kind === 'op' && before.value === ':' && this.i > startIndex;
    if (this.peek().kind === 'newline') this.next();
    if (endsWithColon && this.peek().kind === 'indent') {
      this.next();
      this.parseBlockBody();
    }
    if (this.loose) into.push({ kind: 'ErrorStmt', span: { start: start.start, end: Math.max(start.start, this.lastEnd) } });
  }

  private parseStatement(into: A.PyStmt[]): void {
    const t = this.peek();
    if (t.kind === 'op' && t.value === '@') return void into.push(this.parseDecorated());
    if (t.kind === 'name') {
      switch (t.value) {
        case 'def': return void into.push(this.parseDef([], t));
        case 'class': return void into.push(this.parseClass([], t));
        case 'if': return void into.push(this.parseIf());
        case 'for': return void into.push(this.parseFor());
        case 'while': return void into.push(this.parseWhile());
        case 'with': return void into.push(this.parseWith());
        case 'elif':
        case 'else':
          this.failHere(`'${t.value}' must follow the block of an if (or for/while) statement at the same indentation`);
      }
      if (UNSUPPORTED_COMPOUND.has(t.value)) this.unsupported(t);
    }
    this.parseSimpleLine(into);
  }

  private unsupported(t: Token): never {
    return this.failWith('P110', `TVMScript uses only ${SUPPORTED}. However, this is a '${t.value}' statement.`, tokSpan(t));
  }

  /** `small (';' small)* [';'] NEWLINE` */
  private parseSimpleLine(into: A.PyStmt[]): void {
    for (;;) {
      const stmt = this.parseSmallStatement();
      const t = this.peek();
      if (t.kind !== 'newline' && t.kind !== 'eof' && !(t.kind === 'op' && t.value === ';')) {
        this.failHere("A statement must end at the end of its line (or at ';')");
      }
      into.push(stmt);
      if (!this.eatOp(';')) break;
      const k = this.peek().kind;
      if (k === 'newline' || k === 'eof') break;
    }
    if (this.peek().kind === 'newline') this.next();
  }

  private parseSmallStatement(): A.PyStmt {
    const t = this.peek();
    if (t.kind === 'name') {
      switch (t.value) {
        case 'pass':
          this.next();
          return { kind: 'Pass', span: tokSpan(t) };
        case 'return': return this.parseReturn();
        case 'assert': return this.parseAssert();
        case 'import': return this.parseImport();
        case 'from': return this.parseFromImport();
      }
      if (UNSUPPORTED_SIMPLE.has(t.value)) this.unsupported(t);
    }
    return this.parseExprStatement();
  }

  private parseReturn(): A.PyReturn {
    const kw = this.next();
    const value = this.atExprStart() ? this.parseValue(kw.end) : null;
    return { kind: 'Return', value, span: { start: kw.start, end: this.lastEnd } };
  }

  private parseAssert(): A.PyAssert {
    const kw = this.next();
    const test = this.parseNamedExpr();
    const msg = this.eatOp(',') ? this.parseExpression() : null;
    return { kind: 'Assert', test, msg, span: { start: kw.start, end: this.lastEnd } };
  }

  private parseImport(): A.PyImport {
    const kw = this.next();
    const names: { name: string; asname: string | null }[] = [];
    do {
      const name = this.parseDotted();
      names.push({ name, asname: this.parseAsName() });
    } while (this.eatOp(','));
    return { kind: 'Import', module: null, names, span: { start: kw.start, end: this.lastEnd } };
  }

  private parseFromImport(): A.PyImport {
    const kw = this.next();
    let module = '';
    while (this.isOp('.') || this.isOp('...')) module += this.next().value;
    if (!this.isKw('import')) module += this.parseDotted();
    this.expectKw('import', 'A from-import');
    const names: { name: string; asname: string | null }[] = [];
    if (this.isOp('*')) {
      this.next();
      names.push({ name: '*', asname: null });
    } else {
      const paren = this.isOp('(') ? this.next() : null;
      do {
        if (paren && this.isOp(')')) break;
        const name = this.expectName('A from-import').value;
        names.push({ name, asname: this.parseAsName() });
      } while (this.eatOp(','));
      if (paren) this.expectClose(')', paren);
    }
    return { kind: 'Import', module, names, span: { start: kw.start, end: this.lastEnd } };
  }

  private parseDotted(): string {
    let name = this.expectName('An import').value;
    while (this.eatOp('.')) name += '.' + this.expectName('A dotted module name').value;
    return name;
  }

  private parseAsName(): string | null {
    if (!this.isKw('as')) return null;
    this.next();
    return this.expectName("'as'").value;
  }

  /** Assignment chains, annotated and augmented assignment, or an expression statement. */
  private parseExprStatement(): A.PyStmt {
    const startTok = this.peek();
    const first = this.parseStarExpressions();
    const t = this.peek();
    const start = startTok.start;
    if (t.kind === 'op') {
      if (t.value === '=') return this.parseAssign(first, start);
      if (t.value === ':') return this.parseAnnAssign(first, start);
      const aug = AUG_OPS[t.value];
      if (aug !== undefined) {
        this.checkSingleTarget(first, 'augmented assignment');
        const opTok = this.next();
        const value = this.parseValue(opTok.end);
        return { kind: 'AugAssign', target: first, op: aug, value, span: { start, end: this.lastEnd } };
      }
      if (t.value === ':=') this.failWith('P112', "TVMScript does not use assignment expressions. However, ':=' was found here.", tokSpan(t));
    }
    return { kind: 'Expr', value: first, span: { start, end: this.lastEnd } };
  }

  private parseAssign(first: A.PyExpr, start: number): A.PyAssign {
    const targets: A.PyExpr[] = [first];
    let value: A.PyExpr = first;
    while (this.isOp('=')) {
      const eq = this.next();
      value = this.parseValue(eq.end);
      if (this.isOp('=')) targets.push(value);
    }
    for (const target of targets) this.checkTarget(target, false);
    return { kind: 'Assign', targets, value, span: { start, end: this.lastEnd } };
  }

  private parseAnnAssign(target: A.PyExpr, start: number): A.PyAnnAssign {
    this.checkSingleTarget(target, 'annotated assignment');
    this.next();
    const annotation = this.parseExpression();
    let value: A.PyExpr | null = null;
    if (this.isOp('=')) value = this.parseValue(this.next().end);
    return { kind: 'AnnAssign', target, annotation, value, span: { start, end: this.lastEnd } };
  }

  /** The value of an assignment or return; in loose mode an unparsable one becomes an ErrorExpr. */
  private parseValue(after: number): A.PyExpr {
    if (!this.loose) return this.parseStarExpressions();
    const first = this.peek();
    const depth = this.depth;
    try {
      return this.parseStarExpressions();
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e;
      this.depth = depth;
      const start = first.kind === 'newline' || first.kind === 'eof' ? after : first.start;
      this.skipRestOfLine();
      return { kind: 'ErrorExpr', span: { start, end: Math.max(start, this.lastEnd) } };
    }
  }

  // ------------------------------------------------------------------ compound statements

  private parseDecorated(): A.PyFunctionDef | A.PyClassDef {
    const first = this.peek();
    const decorators: A.PyDecorator[] = [];
    while (this.isOp('@')) {
      const at = this.next();
      const expr = this.parseNamedExpr();
      decorators.push({ expr, span: { start: at.start, end: this.lastEnd } });
      if (this.peek().kind !== 'newline') this.failHere('A decorator must end its line');
      this.next();
    }
    if (this.isKw('def')) return this.parseDef(decorators, first);
    if (this.isKw('class')) return this.parseClass(decorators, first);
    return this.failHere("Decorators must be followed by 'def' or 'class'");
  }

  private parseDef(decorators: A.PyDecorator[], first: Token): A.PyFunctionDef {
    this.next();
    const nameTok = this.expectName("'def'");
    const h = { typeParams: [] as A.PyName[], args: [] as A.PyArg[], returns: null as A.PyExpr | null };
    const ok = this.tryHeader(() => {
      if (this.isOp('[')) h.typeParams = this.parseTypeParams();
      this.parseParams(this.expectOp('(', 'A function definition'), h.args);
      h.returns = this.eatOp('->') ? this.parseExpression() : null;
      this.expectOp(':', 'A function definition');
    });
    const body = ok ? this.parseSuite(nameTok) : this.parseBlockAfterBrokenHeader();
    return {
      kind: 'FunctionDef', name: nameTok.value, typeParams: h.typeParams, args: h.args, returns: h.returns, decorators, body,
      nameSpan: tokSpan(nameTok), span: { start: first.start, end: this.lastEnd },
    };
  }

  /** PEP 695 `[M, N: bound, *Ts]`; bounds and star markers are accepted and dropped (TVMScript uses plain names). */
  private parseTypeParams(): A.PyName[] {
    const open = this.next();
    const names: A.PyName[] = [];
    while (!this.isOp(']')) {
      if (this.isOp('*') || this.isOp('**')) this.next();
      const t = this.expectName('A type parameter list');
      names.push({ kind: 'Name', id: t.value, span: tokSpan(t) });
      if (this.eatOp(':')) this.parseExpression();
      if (this.eatOp('=')) this.parseExpression();
      if (!this.eatOp(',')) break;
    }
    this.expectClose(']', open);
    return names;
  }

  /** Parameters up to the closing ')'. A bare `*` or `/` marker is accepted and not kept. */
  private parseParams(open: Token, args: A.PyArg[]): void {
    const seen = new Set<string>();
    let seenDefault = false;
    let seenStar = false;
    while (!this.isOp(')')) {
      const startTok = this.peek();
      if (this.eatOp('/')) {
        if (!this.eatOp(',')) break;
        continue;
      }
      const star = this.isOp('*') || this.isOp('**') ? (this.next().value as '*' | '**') : undefined;
      if (star === '*' && (this.isOp(',') || this.isOp(')'))) {
        seenStar = true;
        if (!this.eatOp(',')) break;
        continue;
      }
      const nameTok = this.expectName('A parameter list');
      const annotation = this.eatOp(':') ? this.parseExpression() : null;
      const def = !star && this.eatOp('=') ? this.parseExpression() : null;
      if (star === '*') seenStar = true;
      this.checkParam(nameTok, seen, !star && !seenStar && seenDefault && def === null);
      if (def) seenDefault = true;
      const arg: A.PyArg = { name: nameTok.value, annotation, default: def, span: { start: startTok.start, end: this.lastEnd } };
      args.push(star ? { ...arg, star } : arg);
      if (!this.eatOp(',')) break;
    }
    this.expectClose(')', open);
  }

  private checkParam(nameTok: Token, seen: Set<string>, missingDefault: boolean): void {
    if (seen.has(nameTok.value)) {
      this.report('P116', `Parameter names must be distinct. However, '${nameTok.value}' is declared twice.`, tokSpan(nameTok));
    } else if (missingDefault) {
      this.report('P116', `A parameter without a default cannot follow one with a default. However, '${nameTok.value}' has none.`, tokSpan(nameTok));
    }
    seen.add(nameTok.value);
  }

  private parseClass(decorators: A.PyDecorator[], first: Token): A.PyClassDef {
    this.next();
    const nameTok = this.expectName("'class'");
    let bases: A.PyExpr[] = [];
    const ok = this.tryHeader(() => {
      if (this.isOp('[')) this.parseTypeParams();
      if (this.isOp('(')) bases = this.parseCallArgs(this.next()).args;
      this.expectOp(':', 'A class definition');
    });
    const body = ok ? this.parseSuite(nameTok) : this.parseBlockAfterBrokenHeader();
    return {
      kind: 'ClassDef', name: nameTok.value, bases, decorators, body, nameSpan: tokSpan(nameTok),
      span: { start: first.start, end: this.lastEnd },
    };
  }

  private parseIf(): A.PyIf {
    const kw = this.next();
    const test = this.parseNamedExpr();
    this.expectOp(':', `An '${kw.value}' statement`);
    const body = this.parseSuite(kw);
    let orelse: A.PyStmt[] = [];
    if (this.isKw('elif')) orelse = [this.parseIf()];
    else if (this.isKw('else')) orelse = this.parseElse();
    return { kind: 'If', test, body, orelse, span: { start: kw.start, end: this.lastEnd } };
  }

  private parseElse(): A.PyStmt[] {
    const kw = this.next();
    this.expectOp(':', "An 'else'");
    return this.parseSuite(kw);
  }

  private parseFor(): A.PyFor {
    const kw = this.next();
    const target = this.parseTargetList();
    this.checkTarget(target, false);
    this.expectKw('in', 'A for loop');
    const iter = this.parseStarExpressions();
    this.expectOp(':', 'A for loop');
    const body = this.parseSuite(kw);
    this.loopElse();
    return { kind: 'For', target, iter, body, span: { start: kw.start, end: this.lastEnd } };
  }

  private parseWhile(): A.PyWhile {
    const kw = this.next();
    const test = this.parseNamedExpr();
    this.expectOp(':', 'A while loop');
    const body = this.parseSuite(kw);
    this.loopElse();
    return { kind: 'While', test, body, span: { start: kw.start, end: this.lastEnd } };
  }

  /** `for ... else:` / `while ... else:` is Python TVMScript does not use: reported, parsed, dropped. */
  private loopElse(): void {
    if (!this.isKw('else')) return;
    const t = this.peek();
    this.report('P110', `TVMScript uses only ${SUPPORTED}. However, this loop has an 'else' clause.`, tokSpan(t));
    this.parseElse();
  }

  private parseWith(): A.PyWith {
    const kw = this.next();
    const items: A.PyWithItem[] = [];
    const ok = this.tryHeader(() => this.parseWithItems(items));
    const body = ok ? this.parseSuite(kw) : this.parseBlockAfterBrokenHeader();
    return { kind: 'With', items, body, span: { start: kw.start, end: this.lastEnd } };
  }

  private parseWithItems(items: A.PyWithItem[]): void {
    const paren = this.isOp('(') && this.parenthesizedWithItems() ? this.next() : null;
    do {
      if (paren && this.isOp(')')) break;
      const context = this.parseExpression();
      let target: A.PyExpr | null = null;
      if (this.isKw('as')) {
        this.next();
        target = this.parseTarget();
        this.checkTarget(target, false);
      }
      items.push({ context, target });
    } while (this.eatOp(','));
    if (paren) this.expectClose(')', paren);
    this.expectOp(':', 'A with statement');
  }

  /**
   * Loose mode: runs the header of a def, class or with; if it fails, skips the rest of the line and returns false,
   * so the caller keeps the statement with what it has and still reads its block (an editor keeps showing a
   * function while its signature is being typed). Strict mode lets the failure abandon the statement.
   */
  private tryHeader(parse: () => void): boolean {
    if (!this.loose) {
      parse();
      return true;
    }
    const depth = this.depth;
    try {
      parse();
      return true;
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e;
      this.depth = depth;
      this.skipRestOfLine();
      return false;
    }
  }

  /** The indented block after a header that failed to parse, if there is one. */
  private parseBlockAfterBrokenHeader(): A.PyStmt[] {
    if (this.peek().kind === 'newline') this.next();
    if (this.peek().kind !== 'indent') return [];
    this.next();
    this.enter();
    const body = this.parseBlockBody();
    this.depth--;
    return body;
  }

  /** Skips to the NEWLINE (not consumed) that ends the current logical line. */
  private skipRestOfLine(): void {
    for (;;) {
      const k = this.peek().kind;
      if (k === 'newline' || k === 'eof' || k === 'indent' || k === 'dedent') return;
      this.next();
    }
  }

  /** `with (a as b, c):` — the '(' at the cursor closes right before the ':'. */
  private parenthesizedWithItems(): boolean {
    let depth = 0;
    for (let k = this.i; ; k++) {
      const t = this.tok(k);
      if (t.kind === 'newline' || t.kind === 'eof') return false;
      if (t.kind !== 'op') continue;
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') {
        if (--depth === 0) {
          const after = this.tok(k + 1);
          return after.kind === 'op' && after.value === ':';
        }
      }
    }
    return false;
  }

  /** The body after a header's ':' — an indented block, or simple statements on the same line. */
  private parseSuite(header: Token): A.PyStmt[] {
    const t = this.peek();
    if (t.kind !== 'newline') {
      const body: A.PyStmt[] = [];
      this.parseSimpleLine(body);
      return body;
    }
    this.next();
    if (this.peek().kind !== 'indent') {
      const at = this.peek();
      const span = at.kind === 'dedent' || at.kind === 'eof' ? { start: at.start, end: at.start } : tokSpan(at);
      if (!t.reported) {
        this.report('P107', `A line ending with ':' must be followed by an indented block. However, the block after '${header.value}' is missing.`, span);
      }
      return [];
    }
    this.next();
    this.enter();
    const body = this.parseBlockBody();
    this.depth--;
    return body;
  }

  // ------------------------------------------------------------------ targets

  private parseTargetList(): A.PyExpr {
    const first = this.parseTarget();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isKw('in') || this.isOp('=')) break;
      elts.push(this.parseTarget());
    }
    return { kind: 'Tuple', elts, parenthesized: false, span: { start: first.span.start, end: this.lastEnd } };
  }

  private parseTarget(): A.PyExpr {
    if (this.isOp('*')) {
      const star = this.next();
      const value = this.parseBinary(1);
      return { kind: 'Starred', value, span: { start: star.start, end: value.span.end } };
    }
    return this.parseBinary(1);
  }

  private checkSingleTarget(e: A.PyExpr, what: string): void {
    if (e.kind === 'Name' || e.kind === 'Attribute' || e.kind === 'Subscript') return;
    this.report('P113', `The target of an ${what} must be a name, attribute or subscript. However, it is ${describeExpr(e)}.`, e.span);
  }

  private checkTarget(e: A.PyExpr, inSequence: boolean): void {
    switch (e.kind) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
      case 'ErrorExpr':
        return;
      case 'Tuple':
      case 'List':
        for (const x of e.elts) this.checkTarget(x, true);
        return;
      case 'Starred':
        if (inSequence) return this.checkTarget(e.value, false);
    }
    this.report('P113', `Only names, attributes, subscripts and tuples or lists of them can be assigned to. However, this is ${describeExpr(e)}.`, e.span);
  }

  // ------------------------------------------------------------------ expressions

  private atExprStart(): boolean {
    const t = this.peek();
    switch (t.kind) {
      case 'name':
        return !KEYWORDS.has(t.value) || EXPR_KEYWORDS.has(t.value);
      case 'number':
      case 'string':
        return true;
      case 'op':
        return EXPR_START_OPS.has(t.value);
      default:
        return false;
    }
  }

  /** `a, *b, c` — a bare tuple when there is a comma. */
  private parseStarExpressions(): A.PyExpr {
    const first = this.parseStarExpr();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (!this.atExprStart()) break;
      elts.push(this.parseStarExpr());
    }
    return { kind: 'Tuple', elts, parenthesized: false, span: { start: first.span.start, end: this.lastEnd } };
  }

  private parseStarExpr(): A.PyExpr {
    if (!this.isOp('*')) return this.parseExpression();
    const star = this.next();
    const value = this.parseBinary(1);
    return { kind: 'Starred', value, span: { start: star.start, end: value.span.end } };
  }

  /** An expression where Python also allows `:=` (reported: TVMScript does not use it). */
  private parseNamedExpr(): A.PyExpr {
    const e = this.parseExpression();
    if (this.isOp(':=')) this.failWith('P112', "TVMScript does not use assignment expressions. However, ':=' was found here.", tokSpan(this.peek()));
    return e;
  }

  private parseExpression(): A.PyExpr {
    this.enter();
    const e = this.isKw('lambda') ? this.parseLambda() : this.parseTernary();
    this.depth--;
    return e;
  }

  private parseTernary(): A.PyExpr {
    const body = this.parseOr();
    if (!this.isKw('if')) return body;
    this.next();
    const test = this.parseOr();
    this.expectKw('else', 'A conditional expression');
    const orelse = this.parseExpression();
    return { kind: 'IfExp', test, body, orelse, span: { start: body.span.start, end: orelse.span.end } };
  }

  private parseLambda(): A.PyLambda {
    const kw = this.next();
    const params: string[] = [];
    while (!this.isOp(':')) {
      if (this.isOp('*') || this.isOp('**')) this.next();
      params.push(this.expectName('A lambda').value);
      if (this.eatOp('=')) this.parseExpression();
      if (!this.eatOp(',')) break;
    }
    this.expectOp(':', 'A lambda');
    const body = this.parseExpression();
    return { kind: 'Lambda', params, body, span: { start: kw.start, end: body.span.end } };
  }

  private parseOr(): A.PyExpr {
    const first = this.parseAnd();
    if (!this.isKw('or')) return first;
    const values = [first];
    while (this.isKw('or')) {
      this.next();
      values.push(this.parseAnd());
    }
    return { kind: 'BoolOp', op: 'or', values, span: { start: first.span.start, end: this.lastEnd } };
  }

  private parseAnd(): A.PyExpr {
    const first = this.parseNot();
    if (!this.isKw('and')) return first;
    const values = [first];
    while (this.isKw('and')) {
      this.next();
      values.push(this.parseNot());
    }
    return { kind: 'BoolOp', op: 'and', values, span: { start: first.span.start, end: this.lastEnd } };
  }

  private parseNot(): A.PyExpr {
    if (!this.isKw('not')) return this.parseComparison();
    const kw = this.next();
    this.enter();
    const operand = this.parseNot();
    this.depth--;
    return { kind: 'UnaryOp', op: 'not', operand, span: { start: kw.start, end: operand.span.end } };
  }

  private parseComparison(): A.PyExpr {
    const left = this.parseBinary(1);
    let op = this.compareOp();
    if (op === null) return left;
    const ops: A.PyCmpOp[] = [];
    const comparators: A.PyExpr[] = [];
    while (op !== null) {
      ops.push(op);
      comparators.push(this.parseBinary(1));
      op = this.compareOp();
    }
    return { kind: 'Compare', left, ops, comparators, span: { start: left.span.start, end: this.lastEnd } };
  }

  /** Consumes a comparison operator (`not in` and `is not` are two tokens) or returns null. */
  private compareOp(): A.PyCmpOp | null {
    const t = this.peek();
    if (t.kind === 'op' && SIMPLE_CMP.has(t.value)) return this.next().value as A.PyCmpOp;
    if (t.kind !== 'name') return null;
    if (t.value === 'in') {
      this.next();
      return 'in';
    }
    if (t.value === 'is') {
      this.next();
      if (!this.isKw('not')) return 'is';
      this.next();
      return 'is not';
    }
    if (t.value === 'not' && this.peekAt(1).kind === 'name' && this.peekAt(1).value === 'in') {
      this.next();
      this.next();
      return 'not in';
    }
    return null;
  }

  /** Left-associative binary operators from `|` (level 1) to `* / // % @` (level 6), by precedence climbing. */
  private parseBinary(minPrec: number): A.PyExpr {
    let left = this.parseFactor();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return left;
      const prec = BIN_PREC[t.value];
      if (prec === undefined || prec < minPrec) return left;
      this.next();
      const right = this.parseBinary(prec + 1);
      left = { kind: 'BinOp', op: t.value as A.PyBinOpKind, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private parseFactor(): A.PyExpr {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.next();
      this.enter();
      const operand = this.parseFactor();
      this.depth--;
      return { kind: 'UnaryOp', op: t.value, operand, span: { start: t.start, end: operand.span.end } };
    }
    return this.parsePower();
  }

  private parsePower(): A.PyExpr {
    const base = this.parsePrimary();
    if (!this.isOp('**')) return base;
    this.next();
    this.enter();
    const exp = this.parseFactor();
    this.depth--;
    return { kind: 'BinOp', op: '**', left: base, right: exp, span: { start: base.span.start, end: exp.span.end } };
  }

  /** An atom followed by `.name`, `(args)` and `[index]` trailers. */
  private parsePrimary(): A.PyExpr {
    const start = this.peek().start;
    let e = this.parseAtom();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return e;
      if (t.value === '.') {
        this.next();
        const name = this.expectName('An attribute access');
        e = { kind: 'Attribute', value: e, attr: name.value, span: { start, end: name.end } };
      } else if (t.value === '(') {
        const { args, keywords } = this.parseCallArgs(this.next());
        e = { kind: 'Call', func: e, args, keywords, span: { start, end: this.lastEnd } };
      } else if (t.value === '[') {
        const index = this.parseSubscriptIndex(this.next());
        e = { kind: 'Subscript', value: e, index, span: { start, end: this.lastEnd } };
      } else {
        return e;
      }
    }
  }

  /** Arguments after '(' up to and including ')'. */
  private parseCallArgs(open: Token): { args: A.PyExpr[]; keywords: A.PyKeyword[] } {
    let args: A.PyExpr[] = NO_ARGS;
    let keywords: A.PyKeyword[] = NO_KEYWORDS;
    while (!this.isOp(')')) {
      const t = this.peek();
      if (t.kind === 'op' && t.value === '**') {
        this.next();
        const value = this.parseExpression();
        if (keywords === NO_KEYWORDS) keywords = [];
        keywords.push({ name: null, value, span: { start: t.start, end: value.span.end } });
      } else if (t.kind === 'name' && !KEYWORDS.has(t.value) && this.peekAt(1).kind === 'op' && this.peekAt(1).value === '=') {
        this.next();
        this.next();
        const value = this.parseExpression();
        if (keywords.some((k) => k.name === t.value)) {
          this.report('P114', `A keyword argument may be given only once. However, '${t.value}' is repeated.`, tokSpan(t));
        }
        if (keywords === NO_KEYWORDS) keywords = [];
        keywords.push({ name: t.value, value, span: { start: t.start, end: value.span.end } });
      } else {
        const value = this.parseStarExpr();
        this.noComprehension();
        if (keywords.length > 0 && value.kind !== 'Starred') {
          this.report('P114', 'Positional arguments must come before keyword arguments. However, this one follows a keyword argument.', value.span);
        }
        if (args === NO_ARGS) args = [];
        args.push(value);
      }
      if (!this.eatOp(',')) break;
    }
    this.expectClose(')', open);
    return { args, keywords };
  }

  private noComprehension(): void {
    const t = this.peek();
    if (t.kind === 'name' && (t.value === 'for' || t.value === 'async')) {
      this.failWith('P112', 'TVMScript does not use comprehensions or generator expressions. However, one starts here.', tokSpan(t));
    }
  }

  /** The index after '[' up to and including ']': one item, or a (bare) tuple of items and slices. */
  private parseSubscriptIndex(open: Token): A.PyExpr {
    if (this.isOp(']')) this.failHere('A subscript needs an index');
    const first = this.parseSliceItem();
    let index = first;
    if (this.isOp(',')) {
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isOp(']')) break;
        elts.push(this.parseSliceItem());
      }
      index = { kind: 'Tuple', elts, parenthesized: false, span: { start: first.span.start, end: this.lastEnd } };
    }
    this.expectClose(']', open);
    return index;
  }

  private parseSliceItem(): A.PyExpr {
    const start = this.peek().start;
    let lower: A.PyExpr | null = null;
    if (!this.isOp(':')) {
      lower = this.isOp('*') ? this.parseStarExpr() : this.parseNamedExpr();
      if (!this.isOp(':')) return lower;
    }
    this.next();
    const upper = this.isOp(':') || !this.atExprStart() ? null : this.parseExpression();
    let step: A.PyExpr | null = null;
    if (this.eatOp(':') && this.atExprStart()) step = this.parseExpression();
    return { kind: 'Slice', lower, upper, step, span: { start, end: this.lastEnd } };
  }

  private parseAtom(): A.PyExpr {
    const t = this.peek();
    switch (t.kind) {
      case 'name':
        return this.parseNameAtom(t);
      case 'number':
        this.next();
        return numberConstant(t);
      case 'string':
        return this.parseStrings();
      case 'op':
        if (t.value === '(') return this.parseParen();
        if (t.value === '[') return this.parseList();
        if (t.value === '{') return this.parseBrace();
        if (t.value === '...') {
          this.next();
          return { kind: 'Constant', value: 'Ellipsis', valueKind: 'Ellipsis', raw: '...', span: tokSpan(t) };
        }
    }
    return this.failHere('An expression is expected here');
  }

  private parseNameAtom(t: Token): A.PyExpr {
    if (!KEYWORDS.has(t.value)) {
      this.next();
      return { kind: 'Name', id: t.value, span: tokSpan(t) };
    }
    const span = tokSpan(t);
    switch (t.value) {
      case 'True':
      case 'False':
        this.next();
        return { kind: 'Constant', value: t.value === 'True', valueKind: 'bool', raw: t.value, span };
      case 'None':
        this.next();
        return { kind: 'Constant', value: null, valueKind: 'None', raw: 'None', span };
      case 'yield':
      case 'await':
        this.failWith('P112', `TVMScript does not use '${t.value}'. However, it was found here.`, span);
    }
    return this.failHere('An expression is expected here');
  }

  /** Adjacent string literals are one constant; mixing bytes and text is an error as in Python. */
  private parseStrings(): A.PyConstant {
    const first = this.next();
    let value = first.value;
    let last = first;
    while (this.peek().kind === 'string') {
      const t = this.next();
      if (t.sub !== first.sub) {
        this.report('P101', 'Adjacent string literals must all be bytes or all be text. However, these mix both.', { start: first.start, end: t.end });
      }
      value += t.value;
      last = t;
    }
    const span = { start: first.start, end: last.end };
    const raw = this.lexer.intern(first.start, last.end);
    return { kind: 'Constant', value, valueKind: first.sub === 'bytes' ? 'bytes' : 'str', raw, span };
  }

  /** `()`, `(expr)` (the expression itself), or a parenthesized tuple. */
  private parseParen(): A.PyExpr {
    const open = this.next();
    if (this.isOp(')')) {
      const close = this.next();
      return { kind: 'Tuple', elts: [], parenthesized: true, span: { start: open.start, end: close.end } };
    }
    const first = this.parseStarExpr();
    if (this.isOp(':=')) this.failWith('P112', "TVMScript does not use assignment expressions. However, ':=' was found here.", tokSpan(this.peek()));
    this.noComprehension();
    if (!this.isOp(',')) {
      this.expectClose(')', open);
      return first;
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(')')) break;
      elts.push(this.parseStarExpr());
    }
    const close = this.expectClose(')', open);
    return { kind: 'Tuple', elts, parenthesized: true, span: { start: open.start, end: close.end } };
  }

  private parseList(): A.PyList {
    const open = this.next();
    const elts: A.PyExpr[] = [];
    while (!this.isOp(']')) {
      elts.push(this.parseStarExpr());
      if (elts.length === 1) this.noComprehension();
      if (!this.eatOp(',')) break;
    }
    const close = this.expectClose(']', open);
    return { kind: 'List', elts, span: { start: open.start, end: close.end } };
  }

  /** `{}` and `{k: v, **d}` are dicts, `{a, b}` is a set. */
  private parseBrace(): A.PyDict | A.PySet {
    const open = this.next();
    if (this.isOp('}')) {
      const close = this.next();
      return { kind: 'Dict', keys: [], values: [], span: { start: open.start, end: close.end } };
    }
    const isDict = this.isOp('**') || this.braceFirstIsKey();
    return isDict ? this.parseDictItems(open) : this.parseSetItems(open);
  }

  /** Looks past the first item at depth 0 for ':' (dict) versus ',' or '}' (set), without consuming tokens. */
  private braceFirstIsKey(): boolean {
    let depth = 0;
    for (let k = this.i; ; k++) {
      const t = this.tok(k);
      if (t.kind === 'newline' || t.kind === 'eof') return false;
      if (t.kind !== 'op') continue;
      const v = t.value;
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') {
        if (depth-- === 0) return false;
      } else if (depth === 0 && (v === ':' || v === ',')) {
        return v === ':';
      }
    }
    return false;
  }

  private parseDictItems(open: Token): A.PyDict {
    const keys: (A.PyExpr | null)[] = [];
    const values: A.PyExpr[] = [];
    while (!this.isOp('}')) {
      if (this.eatOp('**')) {
        keys.push(null);
        values.push(this.parseBinary(1));
      } else {
        keys.push(this.parseExpression());
        this.expectOp(':', 'A dict entry');
        values.push(this.parseExpression());
      }
      if (keys.length === 1) this.noComprehension();
      if (!this.eatOp(',')) break;
    }
    const close = this.expectClose('}', open);
    return { kind: 'Dict', keys, values, span: { start: open.start, end: close.end } };
  }

  private parseSetItems(open: Token): A.PySet {
    const elts: A.PyExpr[] = [];
    while (!this.isOp('}')) {
      elts.push(this.parseStarExpr());
      if (elts.length === 1) this.noComprehension();
      if (!this.eatOp(',')) break;
    }
    const close = this.expectClose('}', open);
    return { kind: 'Set', elts, span: { start: open.start, end: close.end } };
  }
}

/** Shared empty lists for calls without (keyword) arguments; the tree is read-only, so sharing is safe. */
const NO_ARGS = Object.freeze([]) as unknown as A.PyExpr[];
const NO_KEYWORDS = Object.freeze([]) as unknown as A.PyKeyword[];
const EXPR_KEYWORDS = new Set(['True', 'False', 'None', 'not', 'lambda', 'yield', 'await']);
const EXPR_START_OPS = new Set(['(', '[', '{', '-', '+', '~', '*', '**', '...']);

function tokSpan(t: Token): Span {
  return { start: t.start, end: t.end };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How a token reads in a message. */
function describe(t: Token): string {
  switch (t.kind) {
    case 'name':
      return KEYWORDS.has(t.value) ? `the keyword '${t.value}'` : `the name '${t.value}'`;
    case 'number':
      return `the number ${t.value}`;
    case 'string':
      return 'a string';
    case 'op':
    case 'error':
      return `'${t.value}'`;
    case 'newline':
      return 'the end of the line';
    case 'indent':
      return 'an indented line';
    case 'dedent':
      return 'the end of the block';
    case 'eof':
      return 'the end of the file';
  }
}

function describeExpr(e: A.PyExpr): string {
  switch (e.kind) {
    case 'Call': return 'a call';
    case 'Constant': return 'a literal';
    case 'BinOp':
    case 'UnaryOp':
    case 'BoolOp': return 'an operator expression';
    case 'Compare': return 'a comparison';
    case 'Starred': return 'a starred expression outside a tuple';
    default: return `a ${e.kind} expression`;
  }
}

function numberConstant(t: Token): A.PyConstant {
  const valueKind = t.sub === 'float' ? 'float' : t.sub === 'complex' ? 'complex' : 'int';
  return { kind: 'Constant', value: numberValue(t.value, t.sub), valueKind, raw: t.value, span: tokSpan(t) };
}
