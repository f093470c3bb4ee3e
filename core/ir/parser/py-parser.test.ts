// Tests for the Python-subset tokenizer and parser: exact trees (as compact s-expressions), spans, and P1xx errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePython } from './py-parser.js';
import { tokenize, numberValue } from './tokenizer.js';
import type * as A from './pyast.js';
import { SYNTAX_CODES } from '../diagnostics/codes-syntax.js';

/** Expressions as s-expressions: `(call R.add x y dtype="f")`, `(+ a b)`, `(sub A (tuple i j))`. */
function sx(e: A.PyExpr | null): string {
  if (e === null) return '_';
  switch (e.kind) {
    case 'Name': return e.id;
    case 'Attribute': return `${sx(e.value)}.${e.attr}`;
    case 'Constant': return e.valueKind === 'str' ? JSON.stringify(e.value) : e.valueKind === 'bytes' ? `b${JSON.stringify(e.value)}` : e.raw;
    case 'Call': {
      const parts = [sx(e.func), ...e.args.map(sx), ...e.keywords.map((k) => (k.name === null ? `**${sx(k.value)}` : `${k.name}=${sx(k.value)}`))];
      return `(call ${parts.join(' ')})`;
    }
    case 'Subscript': return `(sub ${sx(e.value)} ${sx(e.index)})`;
    case 'Slice': return `(slice ${sx(e.lower)} ${sx(e.upper)} ${sx(e.step)})`;
    case 'Tuple': return `(${e.parenthesized ? 'ptuple' : 'tuple'}${e.elts.map((x) => ' ' + sx(x)).join('')})`;
    case 'List': return `[${e.elts.map(sx).join(' ')}]`;
    case 'Set': return `(set ${e.elts.map(sx).join(' ')})`;
    case 'Dict': return `{${e.keys.map((k, i) => (k === null ? `**${sx(e.values[i]!)}` : `${sx(k)}: ${sx(e.values[i]!)}`)).join(', ')}}`;
    case 'BinOp': return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'UnaryOp': return `(u${e.op} ${sx(e.operand)})`;
    case 'BoolOp': return `(${e.op} ${e.values.map(sx).join(' ')})`;
    case 'Compare': return `(cmp ${sx(e.left)}${e.ops.map((o, i) => ` ${o} ${sx(e.comparators[i]!)}`).join('')})`;
    case 'IfExp': return `(ifexp ${sx(e.test)} ${sx(e.body)} ${sx(e.orelse)})`;
    case 'Lambda': return `(lambda (${e.params.join(' ')}) ${sx(e.body)})`;
    case 'Starred': return `*${sx(e.value)}`;
    case 'ErrorExpr': return '<error>';
  }
}

function ss(s: A.PyStmt): string {
  const block = (b: readonly A.PyStmt[]) => `[${b.map(ss).join('; ')}]`;
  switch (s.kind) {
    case 'Assign': return `${s.targets.map(sx).join(' = ')} = ${sx(s.value)}`;
    case 'AnnAssign': return `${sx(s.target)}: ${sx(s.annotation)}${s.value ? ` = ${sx(s.value)}` : ''}`;
    case 'AugAssign': return `${sx(s.target)} ${s.op}= ${sx(s.value)}`;
    case 'Expr': return sx(s.value);
    case 'Return': return `return ${sx(s.value)}`;
    case 'Pass': return 'pass';
    case 'Assert': return `assert ${sx(s.test)} ${sx(s.msg)}`;
    case 'Import': return `import ${s.module ?? '-'} ${s.names.map((n) => n.name + (n.asname ? ` as ${n.asname}` : '')).join(',')}`;
    case 'If': return `if ${sx(s.test)} ${block(s.body)} else ${block(s.orelse)}`;
    case 'For': return `for ${sx(s.target)} in ${sx(s.iter)} ${block(s.body)}`;
    case 'While': return `while ${sx(s.test)} ${block(s.body)}`;
    case 'With': return `with ${s.items.map((i) => sx(i.context) + (i.target ? ` as ${sx(i.target)}` : '')).join(', ')} ${block(s.body)}`;
    case 'FunctionDef': {
      const args = s.args.map((a) => `${a.star ?? ''}${a.name}${a.annotation ? ':' + sx(a.annotation) : ''}${a.default ? '=' + sx(a.default) : ''}`);
      const tp = s.typeParams.length ? `[${s.typeParams.map((t) => t.id).join(' ')}]` : '';
      const decos = s.decorators.map((d) => `@${sx(d.expr)} `).join('');
      return `${decos}def ${s.name}${tp}(${args.join(' ')})${s.returns ? ' -> ' + sx(s.returns) : ''} ${block(s.body)}`;
    }
    case 'ClassDef': return `${s.decorators.map((d) => `@${sx(d.expr)} `).join('')}class ${s.name}(${s.bases.map(sx).join(' ')}) ${block(s.body)}`;
    case 'ErrorStmt': return '<error-stmt>';
  }
}

function expr(src: string): string {
  const r = parsePython(src + '\n');
  expect(r.diagnostics).toEqual([]);
  const s = r.module.body[0]!;
  if (s.kind !== 'Expr') throw new Error(`not an expression statement: ${s.kind}`);
  return sx(s.value);
}

function stmts(src: string): string[] {
  const r = parsePython(src);
  expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  return r.module.body.map(ss);
}

function errs(src: string, loose = true): { code: string; start: number; end: number }[] {
  return parsePython(src, { loose }).diagnostics.map((d) => ({ code: d.code, start: d.span!.start, end: d.span!.end }));
}

describe('tokenizer', () => {
  const kinds = (src: string) => tokenize(src).tokens.map((t) => (t.kind === 'op' || t.kind === 'name' || t.kind === 'number' ? t.value : t.kind));

  it('emits INDENT/DEDENT, skips blank and comment lines, and closes blocks at EOF without a trailing newline', () => {
    expect(kinds('if a:\n    b\n   \n  # c\n    c\nd')).toEqual([
      'if', 'a', ':', 'newline', 'indent', 'b', 'newline', 'c', 'newline', 'dedent', 'd', 'newline', 'eof',
    ]);
  });

  it('joins lines inside brackets and after a backslash', () => {
    expect(kinds('x = (1,\n     2) + \\\n  3\n')).toEqual(['x', '=', '(', '1', ',', '2', ')', '+', '3', 'newline', 'eof']);
  });

  it('reads every operator by longest match', () => {
    const ops = '-> ** // := == != <= >= << >> += -= *= /= //= %= **= @= &= |= ^= >>= <<= ... @ ~ ; .';
    expect(kinds(ops).slice(0, -2)).toEqual(ops.split(' '));
  });

  it('reads numbers of every form and their values', () => {
    const toks = tokenize('0x1F 0o17 0b101 1_000 1. .5 1e-05 2.5E+3 1j 00 12345678901234567890').tokens;
    expect(toks.slice(0, -2).map((t) => `${t.value}/${t.sub}`)).toEqual([
      '0x1F/int', '0o17/int', '0b101/int', '1_000/int', '1./float', '.5/float', '1e-05/float', '2.5E+3/float',
      '1j/complex', '00/int', '12345678901234567890/int',
    ]);
    expect(toks.slice(0, -2).map((t) => numberValue(t.value, t.sub))).toEqual([
      31, 15, 5, 1000, 1, 0.5, 1e-5, 2500, 1, 0, 12345678901234567890n,
    ]);
  });

  it('decodes strings with prefixes and escapes', () => {
    const toks = tokenize(String.raw`'a\n\t\x41\u00e9\101' r'\n' b'\x00' Rb"\d" """x
"y"""`).tokens;
    expect(toks.slice(0, 5).map((t) => [t.value, t.sub])).toEqual([
      ['a\n\tAéA', 'str'], ['\\n', 'str'], ['\x00', 'bytes'], ['\\d', 'bytes'], ['x\n"y', 'str'],
    ]);
  });

  it('reads Unicode identifiers and keeps comments with spans', () => {
    const r = tokenize('αβ = 1  # note\n# top\n');
    expect(r.tokens[0]!.value).toBe('αβ');
    expect(r.comments).toEqual([
      { text: ' note', span: { start: 8, end: 14 } },
      { text: ' top', span: { start: 15, end: 20 } },
    ]);
  });

  it('treats CRLF and CR like LF', () => {
    expect(kinds('if a:\r\n    b\r\nc\rd')).toEqual(['if', 'a', ':', 'newline', 'indent', 'b', 'newline', 'dedent', 'c', 'newline', 'd', 'newline', 'eof']);
  });

  it('reports invalid numbers', () => {
    expect(tokenize('0777 1__0 0x 1e 0b12 3abc').diagnostics.map((d) => [d.code, d.span!.start])).toEqual([
      ['P108', 0], ['P108', 5], ['P108', 10], ['P108', 13], ['P108', 16], ['P108', 21],
    ]);
  });

  it('reports inconsistent tabs and spaces', () => {
    expect(tokenize('if a:\n        b\n\tc\n').diagnostics.map((d) => d.code)).toEqual(['P111']);
    expect(tokenize('if a:\n\tb\n\tc\n').diagnostics).toEqual([]);
  });
});

describe('expressions', () => {
  it('follows Python precedence', () => {
    expect(expr('a + b * c ** -d ** e')).toBe('(+ a (* b (** c (u- (** d e)))))');
    expect(expr('a | b ^ c & d << e + f')).toBe('(| a (^ b (& c (<< d (+ e f)))))');
    expect(expr('a - b - c // d % e @ f')).toBe('(- (- a b) (@ (% (// c d) e) f))');
    expect(expr('not a or b and not c')).toBe('(or (unot a) (and b (unot c)))');
    expect(expr('-~+x')).toBe('(u- (u~ (u+ x)))');
    expect(expr('2 ** 3 ** 2')).toBe('(** 2 (** 3 2))');
  });

  it('keeps comparison chains with in, not in, is, is not', () => {
    expect(expr('a < b <= c == d != e > f >= g')).toBe('(cmp a < b <= c == d != e > f >= g)');
    expect(expr('a in b not in c is d is not e')).toBe('(cmp a in b not in c is d is not e)');
    expect(expr('not a in b')).toBe('(unot (cmp a in b))');
  });

  it('reads ternaries and lambdas', () => {
    expect(expr('a if b else c if d else e')).toBe('(ifexp b a (ifexp d c e))');
    expect(expr('lambda x, y: x + y')).toBe('(lambda (x y) (+ x y))');
    expect(expr('lambda: 0')).toBe('(lambda () 0)');
  });

  it('reads calls with positional, keyword, *args and **kwargs', () => {
    expect(expr('R.call_tir(cls.f, (x,), out_ty=R.Tensor((n, 4), dtype="float32"),)')).toBe(
      '(call R.call_tir cls.f (ptuple x) out_ty=(call R.Tensor (ptuple n 4) dtype="float32"))',
    );
    expect(expr('f(*a, b, **c, d=1)')).toBe('(call f *a b **c d=1)');
    expect(expr('f()()')).toBe('(call (call f))');
  });

  it('reads subscripts with slices and tuples', () => {
    expect(expr('A[v0, 0:n, ::2]')).toBe('(sub A (tuple v0 (slice 0 n _) (slice _ _ 2)))');
    expect(expr('A[i]')).toBe('(sub A i)');
    expect(expr('A[:]')).toBe('(sub A (slice _ _ _))');
    expect(expr('A[1:, :-1:]')).toBe('(sub A (tuple (slice 1 _ _) (slice _ (u- 1) _)))');
    expect(expr('A[i,]')).toBe('(sub A (tuple i))');
    expect(expr('R.Tensor[(n, k), "float32"]')).toBe('(sub R.Tensor (tuple (ptuple n k) "float32"))');
  });

  it('reads displays and literals', () => {
    expect(expr('(1, [2, *x], {3: "a", **d}, {4, 5}, {}, ())')).toBe(
      '(ptuple 1 [2 *x] {3: "a", **d} (set 4 5) {} (ptuple))',
    );
    expect(expr('(a)')).toBe('a');
    expect(expr('("a" "b" \'c\')')).toBe('"abc"');
    expect(expr('[True, False, None, ..., 1.0, 1e-05, 0x10, 2j]')).toBe('[True False None ... 1.0 1e-05 0x10 2j]');
  });

  it('keeps number values and raw text', () => {
    const r = parsePython('x = (1, 1.0, 1e-05, 99999999999999999999, True, None, b"q")\n');
    const s = r.module.body[0] as A.PyAssign;
    const elts = (s.value as A.PyTuple).elts as A.PyConstant[];
    expect(elts.map((c) => [c.value, c.valueKind, c.raw])).toEqual([
      [1, 'int', '1'], [1, 'float', '1.0'], [1e-5, 'float', '1e-05'], [99999999999999999999n, 'int', '99999999999999999999'],
      [true, 'bool', 'True'], [null, 'None', 'None'], ['q', 'bytes', 'b"q"'],
    ]);
  });

  it('records spans of nested expressions', () => {
    const src = 'y = R.add(x, A[i, 0:n])\n';
    const call = (parsePython(src).module.body[0] as A.PyAssign).value as A.PyCall;
    expect(call.span).toEqual({ start: 4, end: 23 });
    expect(call.func.span).toEqual({ start: 4, end: 9 });
    const sub = call.args[1] as A.PySubscript;
    expect(src.slice(sub.span.start, sub.span.end)).toBe('A[i, 0:n]');
    const slice = (sub.index as A.PyTuple).elts[1]!;
    expect(src.slice(slice.span.start, slice.span.end)).toBe('0:n');
  });
});

describe('statements', () => {
  it('reads assignments of every kind', () => {
    expect(stmts('a = b = f()\nx, y = f()\n(p, q), [r, *s] = t\nlv: R.Tensor((n,), "float32") = R.exp(x)\nn: int\nA[i] += 1\no.a **= 2\n')).toEqual([
      'a = b = (call f)',
      '(tuple x y) = (call f)',
      '(tuple (ptuple p q) [r *s]) = t',
      'lv: (call R.Tensor (ptuple n) "float32") = (call R.exp x)',
      'n: int',
      '(sub A i) += 1',
      'o.a **= 2',
    ]);
  });

  it('reads return, assert, pass, imports and ; separated statements', () => {
    expect(stmts('return a, b\nreturn\nassert x, "m"\npass; a = 1;\nimport a.b as c, d\nfrom a.b import c as d, e\nfrom . import x\nfrom ..p import (q,\n r,)\nfrom m import *\n')).toEqual([
      'return (tuple a b)', 'return _', 'assert x "m"', 'pass', 'a = 1',
      'import - a.b as c,d', 'import a.b c as d,e', 'import . x', 'import ..p q,r', 'import m *',
    ]);
  });

  it('reads if/elif/else, for, while and with', () => {
    expect(stmts('if a:\n    b\nelif c: d\nelse:\n    e\nfor i, j in T.grid(2, 3):\n    pass\nwhile x < 3:\n    x += 1\n')).toEqual([
      'if a [b] else [if c [d] else [e]]',
      'for (tuple i j) in (call T.grid 2 3) [pass]',
      'while (cmp x < 3) [x += 1]',
    ]);
    expect(stmts('with R.dataflow():\n    pass\nwith a as b, c:\n    pass\nwith (a as b, c as (d, e)):\n    pass\nwith (a):\n    pass\n')).toEqual([
      'with (call R.dataflow) [pass]', 'with a as b, c [pass]', 'with a as b, c as (ptuple d e) [pass]', 'with a [pass]',
    ]);
  });

  it('reads decorated functions with type params, annotations, defaults and star params', () => {
    const src = [
      '@I.ir_module',
      'class Module:',
      '    @R.function(pure=False)',
      '    # a comment between decorator and def',
      '    @other',
      '    def main[M, N](x: R.Tensor((M, N), "float32"), k=2, *args, **kw) -> R.Tensor:',
      '        return x',
      '',
      'class B(A, C): pass',
    ].join('\n');
    expect(stmts(src)).toEqual([
      '@I.ir_module class Module() [@(call R.function pure=False) @other def main[M N](x:(call R.Tensor (ptuple M N) "float32") k=2 *args **kw) -> R.Tensor [return x]]',
      'class B(A C) [pass]',
    ]);
    const r = parsePython(src);
    const cls = r.module.body[0] as A.PyClassDef;
    const fn = cls.body[0] as A.PyFunctionDef;
    expect(src.slice(fn.nameSpan.start, fn.nameSpan.end)).toBe('main');
    expect(src.slice(fn.span.start, fn.span.end)).toMatch(/^@R\.function\(pure=False\)[\s\S]*return x$/);
    expect(cls.span).toEqual({ start: 0, end: src.indexOf('x\n\nclass') + 1 });
    expect(r.module.comments.map((c) => c.text)).toEqual([' a comment between decorator and def']);
  });

  it('reads a TIR prim_func with blocks and loops', () => {
    const src = [
      '@T.prim_func(private=True)',
      'def add(A: T.Buffer((T.int64(4),), "float32"), B: T.Buffer((T.int64(4),), "float32")):',
      '    T.func_attr({"tir.noalias": True})',
      '    for i0 in range(T.int64(4)):',
      '        with T.sblock("add"):',
      '            v0 = T.axis.spatial(T.int64(4), i0)',
      '            T.reads(A[v0])',
      '            T.writes(B[v0])',
      '            B[v0] = A[v0] + T.float32(1)',
    ].join('\n');
    const out = stmts(src);
    expect(out[0]).toContain('(sub B v0) = (+ (sub A v0) (call T.float32 1))');
  });

  it('accepts odd but valid formatting: CRLF, tabs, no trailing newline, blank lines with spaces, comment lines', () => {
    expect(stmts('def f(x):\r\n\t# c\r\n   \r\n\ty = (x,\r\n\t     x)\r\n\treturn y')).toEqual(['def f(x) [y = (ptuple x x); return y]']);
    expect(stmts('\ufeffx = 1')).toEqual(['x = 1']);
    expect(stmts('')).toEqual([]);
    expect(stmts('\n\n# only a comment')).toEqual([]);
  });
});

describe('seed and odd formatting', () => {
  it('parses the 2022 RFC example program', () => {
    const src = readFileSync(new URL('./fixtures-py/relax-rfc.py', import.meta.url), 'utf8');
    const r = parsePython(src);
    expect(r.diagnostics).toEqual([]);
    const cls = r.module.body.find((s) => s.kind === 'ClassDef') as A.PyClassDef;
    expect(cls.body.map((s) => (s as A.PyFunctionDef).name)).toEqual(['tir_exp_func', 'relax_func']);
    const relax = cls.body[1] as A.PyFunctionDef;
    expect(ss(relax.body[0]!)).toMatch(/^with \(call R\.dataflow\) \[lv0 = \(call R\.match_shape w \(ptuple k m\)\);/);
    expect(relax.body.map(ss).slice(1)).toEqual(['(call R.call_packed "custom_inplace_update" gv0)', 'return gv0']);
    expect(r.module.comments[0]!.text).toBe(' Relax IRModule written in TVMScript');
  });

  it('handles form feeds, CR-only endings, trailing comments and continuation lines in headers', () => {
    expect(stmts('\fx = 1\ry = 2\r')).toEqual(['x = 1', 'y = 2']);
    expect(stmts('x = 1  # end')).toEqual(['x = 1']);
    expect(stmts('   \n\t\n')).toEqual([]);
    expect(stmts('@R.function  # why\n\n# between\n@R.other\ndef f(x, \\\n      y) -> R.Tensor: return x\n')).toEqual([
      '@R.function @R.other def f(x y) -> R.Tensor [return x]',
    ]);
    expect(stmts('def f():\n    # only a comment line first\n\n    return 1\n')).toEqual(['def f() [return 1]']);
  });
});

describe('loose-mode recovery', () => {
  it('keeps a function whose signature is broken, with the parameters read so far and its body', () => {
    const src = 'def f(x: R.Tensor((2, 3), "float32"), y: ) -> R.Tensor:\n    return x\n';
    expect(parsePython(src, { loose: true }).module.body.map(ss)).toEqual(['def f(x:(call R.Tensor (ptuple 2 3) "float32")) [return x]']);
    expect(errs(src)).toEqual([{ code: 'P101', start: 41, end: 42 }]);
    expect(parsePython(src).module.body).toEqual([]);
  });

  it('stops an unclosed signature bracket at the body', () => {
    const src = 'def f(x: R.Tensor((2, 3), "float32"):\n    lv = R.add(x, x)\n    return lv\n';
    expect(errs(src)).toEqual([{ code: 'P102', start: 5, end: 6 }]);
    expect(parsePython(src, { loose: true }).module.body.map(ss)).toEqual([
      'def f(x:(call R.Tensor (ptuple 2 3) "float32")) [lv = (call R.add x x); return lv]',
    ]);
  });

  it('keeps a with block whose header is broken', () => {
    const src = 'def f(x):\n    with R.dataflow(:\n        y = x\n    return y\n';
    expect(parsePython(src, { loose: true }).module.body.map(ss)).toEqual(['def f(x) [with  [y = x]; return y]']);
  });
});

describe('syntax errors', () => {
  it('reports an unclosed bracket at the opener and recovers at the next statement', () => {
    const src = 'def f(x):\n    y = R.add(x,\n    z = 1\n    return z\n';
    expect(errs(src)).toEqual([{ code: 'P102', start: 23, end: 24 }]);
    const fn = parsePython(src, { loose: true }).module.body[0] as A.PyFunctionDef;
    expect(fn.body.map(ss)).toEqual(['y = <error>', 'z = 1', 'return z']);
  });

  it('recovers from an unclosed bracket at a dedent or a def', () => {
    const src = 'x = f(1,\n  2\ndef g(): pass\n';
    expect(errs(src)).toEqual([{ code: 'P102', start: 5, end: 6 }]);
    expect(parsePython(src).module.body.map(ss)).toEqual(['def g() [pass]']);
    const src2 = 'if a:\n    x = [1,\ny = 2\n';
    expect(errs(src2)).toEqual([{ code: 'P102', start: 14, end: 15 }]);
    expect(parsePython(src2, { loose: true }).module.body.map(ss)).toEqual(['if a [x = <error>] else []', 'y = 2']);
  });

  it('reports an unclosed bracket at end of file', () => {
    expect(errs('x = f(g(1)')).toEqual([{ code: 'P102', start: 5, end: 6 }]);
  });

  it('reports a stray or mismatched closing bracket', () => {
    expect(errs('x = 1)\ny = 2\n')).toEqual([{ code: 'P103', start: 5, end: 6 }]);
    expect(parsePython('x = 1)\ny = 2\n').module.body.map(ss)).toEqual(['y = 2']);
    expect(errs('x = (1]\n')).toEqual([{ code: 'P103', start: 6, end: 7 }]);
  });

  it('reports a bad dedent once', () => {
    const src = 'if a:\n    b = 1\n  c = 2\n  d = 3\n';
    expect(errs(src)).toEqual([{ code: 'P105', start: 16, end: 18 }]);
    expect(parsePython(src).module.body.map(ss)).toEqual(['if a [b = 1] else []', 'c = 2', 'd = 3']);
  });

  it('reports an unexpected indent and keeps the statements', () => {
    const src = 'a = 1\n    b = 2\nc = 3\n';
    expect(errs(src)).toEqual([{ code: 'P106', start: 10, end: 11 }]);
    expect(parsePython(src).module.body.map(ss)).toEqual(['a = 1', 'b = 2', 'c = 3']);
  });

  it('reports a missing indented block', () => {
    expect(errs('def f():\nx = 1\n')).toEqual([{ code: 'P107', start: 9, end: 10 }]);
    expect(errs('if a:\n')).toEqual([{ code: 'P107', start: 6, end: 6 }]);
  });

  it('reports an unterminated string without swallowing the next line', () => {
    const src = 'x = f("abc)\ny = 2\n';
    expect(errs(src)).toEqual([{ code: 'P104', start: 6, end: 7 }]);
    expect(parsePython(src, { loose: true }).module.body.map(ss)).toEqual(['x = <error>', 'y = 2']);
    expect(errs('s = """abc\n\nx = 1\n')).toEqual([{ code: 'P104', start: 4, end: 7 }]);
  });

  it('reports invalid characters and unexpected tokens with offsets', () => {
    expect(errs('x = a $ b\n')).toEqual([{ code: 'P109', start: 6, end: 7 }]);
    expect(errs('x = a b\n')).toEqual([{ code: 'P101', start: 6, end: 7 }]);
    expect(errs('x = \u00a0 1\n')).toEqual([{ code: 'P109', start: 4, end: 5 }]);
  });

  it('reports statements and expressions TVMScript does not use', () => {
    expect(errs('for i in x:\n    break\ndel a\ntry:\n    pass\nglobal g\n').map((e) => e.code)).toEqual(['P110', 'P110', 'P110', 'P110']);
    expect(errs('x = [i for i in y]\n')).toEqual([{ code: 'P112', start: 7, end: 10 }]);
    expect(errs('if (n := 1): pass\n').map((e) => e.code)).toEqual(['P112']);
  });

  it('reports bad targets, argument order and parameters without stopping', () => {
    expect(errs('f() = 1\n')).toEqual([{ code: 'P113', start: 0, end: 3 }]);
    expect(errs('f(a=1, b)\n')).toEqual([{ code: 'P114', start: 7, end: 8 }]);
    expect(errs('f(a=1, a=2)\n')).toEqual([{ code: 'P114', start: 7, end: 8 }]);
    expect(errs('def f(a=1, b): pass\n')).toEqual([{ code: 'P116', start: 11, end: 12 }]);
    expect(errs('def f(a, a): pass\n')).toEqual([{ code: 'P116', start: 9, end: 10 }]);
  });

  it('keeps ErrorStmt only in loose mode and never throws in strict mode', () => {
    const src = 'a = 1\nb = = 2\nc = 3\n';
    expect(parsePython(src, { loose: true }).module.body.map((s) => s.kind)).toEqual(['Assign', 'Assign', 'Assign']);
    expect(parsePython('a = 1\nprint x\nc = 3\n', { loose: true }).module.body.map((s) => s.kind)).toEqual(['Assign', 'ErrorStmt', 'Assign']);
    expect(parsePython('a = 1\nprint x\nc = 3\n').module.body.map((s) => s.kind)).toEqual(['Assign', 'Assign']);
  });

  it('guards against pathological nesting', () => {
    const deep = 'x = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n';
    const r = parsePython(deep);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['P117']);
  });

  it('every code used has a catalog entry', () => {
    const srcs = ['x = f(', 'x = )', 'x = "a', 'if a:\n  b\n c', ' a', 'if a:\n', '0777', '$', 'del x', 'x = [i for i in y]', 'f() = 1', 'f(a=1, b)', '"\\xZZ"', 'def f(a, a): pass', 'if a:\n        b\n\tc'];
    for (const s of srcs) for (const d of parsePython(s).diagnostics) expect(SYNTAX_CODES[d.code], d.code).toBeDefined();
  });
});

describe('scale', () => {
  // Speed is measured by `npm run bench`, never by a timed test.
  it('parses a 20,000-binding module without diagnostics', () => {
    const lines = ['@I.ir_module', 'class Module:', '    @R.function', '    def main(x: R.Tensor((n, 4), "float32")):', '        with R.dataflow():'];
    for (let i = 0; i < 20000; i++) lines.push(`            lv${i + 1} = R.add(lv${i}, R.const(1.5, "float32"))  # step ${i}`);
    lines.push('            R.output(lv20000)', '        return lv20000', '');
    const text = lines.join('\n');
    const r = parsePython(text);
    expect(r.diagnostics).toEqual([]);
  });
});
