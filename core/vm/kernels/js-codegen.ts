/**
 * The CPU reference backend: each TIR PrimFunc compiled once to a JavaScript function over typed arrays.
 * This is the semantics every faster backend (gpu.js, WebAssembly) is checked against, so it favours being
 * obviously right over being fast: one JS loop per TIR loop, blocks as scopes, buffers flattened row-major.
 *
 * Stages: (1) name every TIR var and buffer uniquely; (2) a prologue that binds symbolic shape vars from the
 * argument tensors' shapes and checks every other dimension and dtype; (3) the body, statement by statement.
 * Kernels are shape-generic: symbolic dims are read at call time, so one compilation serves every shape.
 *
 * Semantics worth knowing: integer `div`/`mod` truncate, `floordiv`/`floormod` floor (as TIR); int32 results wrap;
 * casts to float32/float16 round; a block's `T.init()` runs when all its reduce iter vars are at their minimum.
 */
import type {
  Block, BlockRealize, Buffer, PrimExpr, PrimFunc, Stmt, TirVar,
} from '../../ir/tir/nodes.js';
import { isFloatDtype, isIntDtype, primDtype } from '../../ir/tir/nodes.js';
import type { CompiledKernel, KernelArg, KernelBackend } from '../kernel.js';
import { storageFor } from '../tensor.js';
import { KERNEL_RUNTIME } from './runtime.js';

/** Thrown at compile time for TIR this backend cannot express (an unknown intrinsic, say). */
export class KernelCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelCompileError';
  }
}

type KernelFn = (args: readonly KernelArg[], rt: typeof KERNEL_RUNTIME) => void;

interface BufferInfo {
  readonly data: string;
  /** Per-dimension stride expressions (JS), row-major unless the buffer says otherwise. */
  readonly strides: readonly string[];
}

const UNARY_MATH: Record<string, string> = {
  exp: 'Math.exp', log: 'Math.log', log2: 'Math.log2', log10: 'Math.log10', log1p: 'Math.log1p',
  expm1: 'Math.expm1', sqrt: 'Math.sqrt', tanh: 'Math.tanh', fabs: 'Math.abs', abs: 'Math.abs',
  floor: 'Math.floor', ceil: 'Math.ceil', trunc: 'Math.trunc', sin: 'Math.sin', cos: 'Math.cos',
  tan: 'Math.tan', sinh: 'Math.sinh', cosh: 'Math.cosh', asin: 'Math.asin', acos: 'Math.acos',
  atan: 'Math.atan', asinh: 'Math.asinh', acosh: 'Math.acosh', atanh: 'Math.atanh',
  erf: 'rt.erf', round: 'rt.roundEven', nearbyint: 'rt.roundEven', sign: 'Math.sign',
};

class JsEmitter {
  private readonly names = new Map<object, string>();
  private readonly used = new Set<string>(['args', 'rt', 'Math']);
  private readonly buffers = new Map<Buffer, BufferInfo>();
  /** Which buffer dim bound each symbolic var ("A:0"). */
  private readonly binder = new Map<TirVar, string>();
  private readonly lines: string[] = [];
  private depth = 1;

  constructor(private readonly fnName: string) {}

  compile(f: PrimFunc): string {
    this.prologue(f);
    this.stmt(f.body);
    return this.lines.join('\n');
  }

  // ---------------------------------------------------------------- naming and output

  private name(node: TirVar | Buffer, hint = node.name): string {
    const known = this.names.get(node);
    if (known) return known;
    let base = hint.replace(/[^A-Za-z0-9_$]/g, '_');
    if (!/^[A-Za-z_$]/.test(base)) base = `_${base}`;
    let n = base;
    for (let i = 1; this.used.has(n); i++) n = `${base}_${i}`;
    this.used.add(n);
    this.names.set(node, n);
    return n;
  }

  private emit(line: string): void {
    this.lines.push('  '.repeat(this.depth) + line);
  }

  private block(open: string, body: () => void): void {
    this.emit(`${open} {`);
    this.depth++;
    body();
    this.depth--;
    this.emit('}');
  }

  // ---------------------------------------------------------------- prologue: args, shapes, strides

  private prologue(f: PrimFunc): void {
    const bound = new Set<TirVar>();
    // Scalar params first: a buffer's shape may use one (`(n * 2,)` with a trailing `n: T.int64`).
    f.params.forEach((p, i) => {
      if (f.bufferMap.has(p)) return;
      bound.add(p);
      this.emit(`const ${this.name(p)} = args[${i}];`);
      this.emit(`if (typeof ${this.name(p)} !== 'number') rt.fail(${q(`${this.fnName}: parameter ${p.name} expects a ${p.dtype} scalar`)});`);
    });
    // Then every tensor argument: its checks, and the symbolic vars its plain dims bind (in any order: a buffer's
    // dim may use a var that only a later buffer binds, `A: (n * 2,)` before `B: (n,)`).
    const bufs: [Buffer, string][] = [];
    f.params.forEach((p, i) => {
      const buf = f.bufferMap.get(p);
      if (!buf) return;
      const t = `${this.name(p)}_t`;
      bufs.push([buf, t]);
      this.emit(`const ${t} = args[${i}];`);
      this.emit(`if (!${t} || !${t}.shape) rt.fail(${q(`${this.fnName}: parameter ${buf.name} expects a tensor`)});`);
      this.emit(`if (${t}.shape.length !== ${buf.shape.length}) rt.fail(${q(`${this.fnName}: ${buf.name} expects a tensor of ndim ${buf.shape.length}, but got `)} + ${t}.shape.length);`);
      this.emit(`if (${t}.dtype !== ${q(buf.dtype)}) rt.fail(${q(`${this.fnName}: ${buf.name} expects dtype ${buf.dtype}, but got `)} + ${t}.dtype);`);
      buf.shape.forEach((d, k) => {
        if (d.kind !== 'tir.Var' || bound.has(d)) return;
        bound.add(d);
        this.binder.set(d, `${buf.name}:${k}`);
        this.emit(`const ${this.name(d)} = ${t}.shape[${k}];`);
      });
    });
    // Finally the other dims are checked and the buffers declared, now that every var has a name.
    for (const [buf, t] of bufs) {
      buf.shape.forEach((d, k) => {
        if (d.kind === 'tir.Var' && this.isBoundBy(buf, d, k)) return;
        this.emit(`if (${t}.shape[${k}] !== ${this.expr(d)}) rt.fail(${q(`${this.fnName}: ${buf.name}.shape[${k}] must be `)} + (${this.expr(d)}) + ', but got ' + ${t}.shape[${k}]);`);
      });
      this.declareBuffer(buf, `${t}.data`);
    }
  }

  /** True when dim k of buf is the place that bound var d (so checking it against itself is pointless). */
  private isBoundBy(buf: Buffer, d: TirVar, k: number): boolean {
    return this.binder.get(d) === `${buf.name}:${k}`;
  }

  private declareBuffer(buf: Buffer, dataExpr: string): void {
    const data = this.name(buf);
    this.emit(`const ${data} = ${dataExpr};`);
    const strides: string[] = [];
    if (buf.strides.length === buf.shape.length) {
      buf.strides.forEach((s) => strides.push(`(${this.expr(s)})`));
    } else {
      let acc = '';
      for (let k = buf.shape.length - 1; k >= 0; k--) {
        strides[k] = acc === '' ? '1' : `${data}_s${k}`;
        if (acc !== '') this.emit(`const ${data}_s${k} = ${acc};`);
        const dim = `(${this.expr(buf.shape[k]!)})`;
        acc = acc === '' ? dim : `${acc} * ${dim}`;
      }
    }
    this.buffers.set(buf, { data, strides });
  }

  private allocBuffer(buf: Buffer): void {
    const ctor = storageFor(buf.dtype);
    if (!ctor) throw new KernelCompileError(`${this.fnName}: buffer ${buf.name} has unsupported dtype ${buf.dtype}`);
    const size = buf.shape.length === 0 ? '1' : buf.shape.map((d) => `(${this.expr(d)})`).join(' * ');
    this.declareBuffer(buf, `new ${ctor.name}(${size})`);
  }

  // ---------------------------------------------------------------- statements

  private stmt(s: Stmt): void {
    switch (s.kind) {
      case 'tir.SeqStmt':
        s.seq.forEach((x) => this.stmt(x));
        return;
      case 'tir.BufferStore':
        this.emit(`${this.access(s.buffer, s.indices)} = ${this.storeValue(s.value, s.buffer.dtype)};`);
        return;
      case 'tir.For': {
        const v = this.name(s.loopVar);
        const lo = this.expr(s.min);
        const hi = s.min.kind === 'tir.IntImm' && s.min.value === 0 ? this.expr(s.extent) : `${lo} + ${this.expr(s.extent)}`;
        const end = `${v}_end`;
        this.used.add(end);
        this.block(`for (let ${v} = ${lo}, ${end} = ${hi}; ${v} < ${end}; ${v}++)`, () => this.stmt(s.body));
        return;
      }
      case 'tir.IfThenElse':
        this.block(`if (${this.expr(s.cond)})`, () => this.stmt(s.then));
        if (s.else) this.block('else', () => this.stmt(s.else!));
        return;
      case 'tir.Evaluate':
        this.emit(`${this.expr(s.value)};`);
        return;
      case 'tir.LetStmt':
        this.block('', () => {
          this.emit(`const ${this.name(s.v)} = ${this.expr(s.value)};`);
          this.stmt(s.body);
        });
        return;
      case 'tir.AssertStmt':
        this.emit(`if (!(${this.expr(s.cond)})) rt.fail(String(${this.expr(s.message)}));`);
        this.stmt(s.body);
        return;
      case 'tir.BlockRealize':
        this.blockRealize(s);
        return;
    }
  }

  private blockRealize(r: BlockRealize): void {
    const b = r.block;
    if (b.matchBuffers.length > 0) throw new KernelCompileError(`${this.fnName}: block "${b.name}" uses T.match_buffer on a region, which the JavaScript backend does not support`);
    const pred = r.predicate.kind === 'tir.IntImm' && r.predicate.value === 1 ? undefined : this.expr(r.predicate);
    const body = (): void => {
      b.iterVars.forEach((iv, i) => this.emit(`const ${this.name(iv.v)} = ${this.expr(r.iterValues[i]!)};`));
      b.allocBuffers.forEach((buf) => this.allocBuffer(buf));
      if (b.init) this.init(b);
      this.stmt(b.body);
    };
    this.block(pred ? `if (${pred})` : `/* block ${b.name} */`, body);
  }

  private init(b: Block): void {
    const conds = b.iterVars
      .filter((iv) => iv.iterType === 'reduce')
      .map((iv) => `${this.name(iv.v)} === ${this.expr(iv.dom.min)}`);
    if (conds.length === 0) this.stmt(b.init!);
    else this.block(`if (${conds.join(' && ')})`, () => this.stmt(b.init!));
  }

  // ---------------------------------------------------------------- expressions

  private access(buf: Buffer, indices: readonly PrimExpr[]): string {
    const info = this.buffers.get(buf);
    if (!info) throw new KernelCompileError(`${this.fnName}: buffer ${buf.name} is used but never defined`);
    if (indices.length === 0) return `${info.data}[0]`;
    const terms = indices.map((ix, k) => {
      const s = info.strides[k] ?? '1';
      const e = this.expr(ix);
      return s === '1' ? `(${e})` : `(${e}) * ${s}`;
    });
    return `${info.data}[${terms.join(' + ')}]`;
  }

  /** A value stored into a buffer of `dtype`: float16 rounds to the float16 grid, ints truncate. */
  private storeValue(e: PrimExpr, dtype: string): string {
    const v = this.expr(e);
    if (dtype === 'float16') return `rt.f16round(${v})`;
    const from = primDtype(e);
    if (isIntDtype(dtype) && from !== dtype && isFloatDtype(from)) return `Math.trunc(${v})`;
    return v;
  }

  expr(e: PrimExpr): string {
    switch (e.kind) {
      case 'tir.Var':
        if (!this.names.has(e)) throw new KernelCompileError(`${this.fnName}: variable ${e.name} is used but never defined`);
        return this.names.get(e)!;
      case 'tir.IntImm':
        // Bools are 0/1 numbers everywhere (buffers hold them as bytes), so literals are too.
        return e.dtype === 'bool' ? (e.value ? '1' : '0') : numLit(e.value);
      case 'tir.FloatImm':
        return numLit(e.value);
      case 'tir.StringImm':
        return q(e.value);
      case 'tir.Binary':
        return this.binary(e.op, e.a, e.b, e.dtype);
      case 'tir.Not':
        return `!(${this.expr(e.a)})`;
      case 'tir.Select':
        return `((${this.expr(e.cond)}) ? (${this.expr(e.t)}) : (${this.expr(e.f)}))`;
      case 'tir.Cast':
        return cast(this.expr(e.value), e.value.kind === 'tir.StringImm' ? 'handle' : e.value.dtype, e.dtype);
      case 'tir.BufferLoad':
        return this.access(e.buffer, e.indices);
      case 'tir.Let': {
        const v = this.name(e.v);
        return `((${v}) => (${this.expr(e.body)}))(${this.expr(e.value)})`;
      }
      case 'tir.Call':
        return this.call(e.op, e.args, e.dtype);
    }
  }

  private binary(op: string, a: PrimExpr, b: PrimExpr, dtype: string): string {
    const x = `(${this.expr(a)})`;
    const y = `(${this.expr(b)})`;
    const int = isIntDtype(a.kind === 'tir.StringImm' ? 'handle' : a.dtype);
    const wrap = (s: string): string => (dtype === 'int32' ? `((${s}) | 0)` : s);
    switch (op) {
      case 'add': return wrap(`${x} + ${y}`);
      case 'sub': return wrap(`${x} - ${y}`);
      case 'mul': return dtype === 'int32' ? `Math.imul(${x}, ${y})` : `${x} * ${y}`;
      case 'div': return int ? `Math.trunc(${x} / ${y})` : `${x} / ${y}`;
      case 'mod': return `${x} % ${y}`;
      case 'floordiv': return `Math.floor(${x} / ${y})`;
      case 'floormod': return int ? `(((${x} % ${y}) + ${y}) % ${y})` : `(${x} - Math.floor(${x} / ${y}) * ${y})`;
      case 'min': return `Math.min(${x}, ${y})`;
      case 'max': return `Math.max(${x}, ${y})`;
      // A comparison yields a JS boolean and a loaded bool is 0/1: compare bools as numbers.
      case 'eq': return primDtype(a) === 'bool' || primDtype(b) === 'bool' ? `(+${x}) === (+${y})` : `${x} === ${y}`;
      case 'ne': return primDtype(a) === 'bool' || primDtype(b) === 'bool' ? `(+${x}) !== (+${y})` : `${x} !== ${y}`;
      case 'lt': return `${x} < ${y}`;
      case 'le': return `${x} <= ${y}`;
      case 'gt': return `${x} > ${y}`;
      case 'ge': return `${x} >= ${y}`;
      case 'and': return `(${x} && ${y})`;
      case 'or': return `(${x} || ${y})`;
      default: throw new KernelCompileError(`${this.fnName}: unknown binary operator ${op}`);
    }
  }

  private call(op: string, args: readonly PrimExpr[], dtype: string): string {
    const a = args.map((x) => this.expr(x));
    const fn = UNARY_MATH[op];
    if (fn && a.length === 1) return `${fn}(${a[0]})`;
    switch (op) {
      case 'rsqrt': return `(1 / Math.sqrt(${a[0]}))`;
      case 'sigmoid': return `(1 / (1 + Math.exp(-(${a[0]}))))`;
      case 'exp2': return `Math.pow(2, ${a[0]})`;
      case 'exp10': return `Math.pow(10, ${a[0]})`;
      case 'pow': return `Math.pow(${a[0]}, ${a[1]})`;
      case 'atan2': return `Math.atan2(${a[0]}, ${a[1]})`;
      case 'fmod': return `(${a[0]} % ${a[1]})`;
      case 'hypot': return `Math.hypot(${a[0]}, ${a[1]})`;
      case 'isnan': return `Number.isNaN(${a[0]})`;
      case 'isinf': return `(Math.abs(${a[0]}) === Infinity)`;
      case 'isfinite': return `Number.isFinite(${a[0]})`;
      case 'if_then_else': return `((${a[0]}) ? (${a[1]}) : (${a[2]}))`;
      case 'likely': return `(${a[0]})`;
      case 'max_value': return numLit(maxValue(dtype));
      case 'min_value': return numLit(-maxValue(dtype) - (isIntDtype(dtype) && !dtype.startsWith('u') ? 1 : 0));
      case 'infinity': return 'Infinity';
      case 'bitwise_and': return `(${a[0]} & ${a[1]})`;
      case 'bitwise_or': return `(${a[0]} | ${a[1]})`;
      case 'bitwise_xor': return `(${a[0]} ^ ${a[1]})`;
      case 'bitwise_not': return `(~${a[0]})`;
      case 'shift_left': return `(${a[0]} << ${a[1]})`;
      case 'shift_right': return `(${a[0]} >> ${a[1]})`;
      default: throw new KernelCompileError(`${this.fnName}: the JavaScript backend has no implementation of T.${op}`);
    }
  }
}

function maxValue(dtype: string): number {
  const m = /^(u?)int(\d+)$/.exec(dtype);
  if (m) return m[1] ? 2 ** Number(m[2]) - 1 : 2 ** (Number(m[2]) - 1) - 1;
  if (dtype === 'float16') return 65504;
  if (dtype === 'float32') return 3.4028234663852886e38;
  return Number.MAX_VALUE;
}

function cast(v: string, from: string, to: string): string {
  if (to === from) return v;
  if (to === 'bool') return `((${v}) ? true : false)`;
  if (to === 'float32') return `Math.fround(${v})`;
  if (to === 'float16') return `rt.f16round(${v})`;
  if (isFloatDtype(to)) return `(+(${v}))`;
  const t = isFloatDtype(from) ? `Math.trunc(${v})` : `(+(${v}))`;
  switch (to) {
    case 'int32': return `(${t} | 0)`;
    case 'uint32': return `(${t} >>> 0)`;
    case 'int16': return `((${t} << 16) >> 16)`;
    case 'uint16': return `(${t} & 65535)`;
    case 'int8': return `((${t} << 24) >> 24)`;
    case 'uint8': return `(${t} & 255)`;
    default: return t;
  }
}

function numLit(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '(-Infinity)';
  return n < 0 || Object.is(n, -0) ? `(${n})` : String(n);
}

function q(s: string): string {
  return JSON.stringify(s);
}

/** Compiles a PrimFunc to JavaScript source (the body of `function (args, rt)`). */
export function primFuncToJs(name: string, f: PrimFunc): string {
  return new JsEmitter(name).compile(f);
}

/** The JavaScript reference backend: compiles once per PrimFunc, runs for any shape. */
export class JsKernelBackend implements KernelBackend {
  readonly name = 'js';
  private count = 0;
  private readonly cache = new WeakMap<PrimFunc, CompiledKernel>();

  get compileCount(): number {
    return this.count;
  }

  compile(name: string, func: PrimFunc): CompiledKernel {
    const hit = this.cache.get(func);
    if (hit) return hit;
    const source = primFuncToJs(name, func);
    this.count++;
    const fn = new Function('args', 'rt', `"use strict";\n${source}`) as KernelFn;
    const kernel: CompiledKernel = {
      backend: 'js',
      source,
      run(args: readonly KernelArg[]): void {
        fn(args, KERNEL_RUNTIME);
      },
    };
    this.cache.set(func, kernel);
    return kernel;
  }
}
