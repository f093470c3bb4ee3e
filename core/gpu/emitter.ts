/**
 * TIR expressions to gpu.js kernel JavaScript: an op -> snippet table on one small base class, in the manner of
 * tinygrad's renderers. gpu.js compiles a subset of JavaScript to GLSL, WGSL, WebAssembly or plain JS, and computes
 * in float32 on every one of them, so this emitter writes only what that subset has (`Math.*`, ternaries, `&&`)
 * and refuses, with a reason, what float32 cannot do exactly (bitwise ops, integer constants beyond 2^24, strings).
 *
 * Values have two kinds: numbers and booleans. A TIR bool (a comparison, `and`, `not`) is a JS boolean; a loaded
 * bool element is a 0/1 number. `num(e)` and `bool(e)` convert where the context needs the other kind.
 * Integer division is written so that float32 evaluation is exact for |values| < 2^24: `floor((a + 0.5) / b)` for
 * a positive constant divisor never rounds across an integer boundary.
 *
 * Snippets that evaluate an argument more than once (round-half-even, erf) hoist it into a temp through `tmp()`;
 * the caller flushes `takePrelude()` before the statement that uses the expression.
 */
import type { Buffer, PrimExpr, TirVar } from '../ir/tir/nodes.js';
import { isFloatDtype, isIntDtype } from '../ir/tir/nodes.js';

/** A construct the gpu.js backend cannot express; the kernel runs on the JavaScript reference with this reason. */
export class GpuUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuUnsupported';
  }
}

/** Largest integer float32 holds exactly. */
export const F32_EXACT_INT = 2 ** 24;

/** How the emitter reaches names: vars (iter vars, loop vars, bound shape values) and buffer elements. */
export interface EmitScope {
  /** The code of a var: a local name or a literal (shape vars are baked per concrete shape). */
  varCode(v: TirVar): string;
  /** The code of `buf[indices]` given the flat index code, or undefined to refuse. */
  load(buf: Buffer, flatIndex: string): string;
  /** Constant value of a var when known (shape vars), for divisor analysis. */
  constOf(v: TirVar): number | undefined;
  /** Row-major strides of a buffer (constants once shapes are bound). */
  strides(buf: Buffer): readonly number[];
}

const UNARY: Record<string, (x: string) => string> = {
  exp: (x) => `Math.exp(${x})`,
  log: (x) => `Math.log(${x})`,
  log2: (x) => `Math.log2(${x})`,
  log10: (x) => `Math.log10(${x})`,
  log1p: (x) => `Math.log1p(${x})`,
  expm1: (x) => `Math.expm1(${x})`,
  sqrt: (x) => `Math.sqrt(${x})`,
  rsqrt: (x) => `(1.0 / Math.sqrt(${x}))`,
  tanh: (x) => `Math.tanh(${x})`,
  sigmoid: (x) => `(1.0 / (1.0 + Math.exp(-(${x}))))`,
  fabs: (x) => `Math.abs(${x})`,
  abs: (x) => `Math.abs(${x})`,
  floor: (x) => `Math.floor(${x})`,
  ceil: (x) => `Math.ceil(${x})`,
  trunc: (x) => `Math.trunc(${x})`,
  sin: (x) => `Math.sin(${x})`,
  cos: (x) => `Math.cos(${x})`,
  tan: (x) => `Math.tan(${x})`,
  sinh: (x) => `Math.sinh(${x})`,
  cosh: (x) => `Math.cosh(${x})`,
  asin: (x) => `Math.asin(${x})`,
  acos: (x) => `Math.acos(${x})`,
  atan: (x) => `Math.atan(${x})`,
  asinh: (x) => `Math.asinh(${x})`,
  acosh: (x) => `Math.acosh(${x})`,
  atanh: (x) => `Math.atanh(${x})`,
  sign: (x) => `Math.sign(${x})`,
  exp2: (x) => `Math.pow(2.0, ${x})`,
  exp10: (x) => `Math.pow(10.0, ${x})`,
  likely: (x) => `(${x})`,
};

const BINARY_CALL: Record<string, (a: string, b: string) => string> = {
  pow: (a, b) => `Math.pow(${a}, ${b})`,
  atan2: (a, b) => `Math.atan2(${a}, ${b})`,
  hypot: (a, b) => `Math.sqrt(${a} * ${a} + ${b} * ${b})`,
  fmod: (a, b) => `(${a} - ${b} * Math.trunc(${a} / ${b}))`,
};

const COMPARE: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** A float literal gpu.js types as a float on every backend (`1.0`, not `1`). */
export function floatLit(v: number): string {
  if (Number.isNaN(v)) throw new GpuUnsupported('a NaN constant has no gpu.js spelling');
  if (!Number.isFinite(v)) return v > 0 ? '3.4028234663852886e38' : '(-3.4028234663852886e38)';
  const s = Number.isInteger(v) && Math.abs(v) < 1e21 ? `${v}.0` : String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}

/** An integer literal; refused beyond 2^24, which float32 cannot hold exactly. */
export function intLit(v: number): string {
  if (Math.abs(v) > F32_EXACT_INT) throw new GpuUnsupported(`the integer constant ${v} is beyond 2^24, which float32 (gpu.js) cannot hold exactly`);
  return v < 0 ? `(${v})` : String(v);
}

/** True when `e` is a boolean (not a 0/1 number) in the emitted code. */
export function isBoolExpr(e: PrimExpr): boolean {
  switch (e.kind) {
    case 'tir.Binary':
      return e.op in COMPARE || e.op === 'and' || e.op === 'or';
    case 'tir.Not':
      return true;
    case 'tir.IntImm':
      return e.dtype === 'bool';
    case 'tir.Cast':
      return e.dtype === 'bool';
    case 'tir.Select':
      return e.dtype === 'bool' && isBoolExpr(e.t) && isBoolExpr(e.f);
    case 'tir.Call':
      return e.op === 'isnan';
    default:
      return false;
  }
}

/** Emits one expression tree at a time; see the file header. */
export class ExprEmitter {
  private prelude: string[] = [];
  private temps = 0;
  private readonly lets = new Map<TirVar, string>();

  constructor(
    private readonly scope: EmitScope,
    private readonly tempPrefix = 't',
  ) {}

  /** Statements the last expressions need before them (hoisted temps); clears the list. */
  takePrelude(): string[] {
    const p = this.prelude;
    this.prelude = [];
    return p;
  }

  private tmp(code: string): string {
    const name = `${this.tempPrefix}${this.temps++}`;
    this.prelude.push(`const ${name} = ${code};`);
    return name;
  }

  /** The expression as a number (booleans become 1.0/0.0). */
  num(e: PrimExpr): string {
    return isBoolExpr(e) ? `(${this.bool(e)} ? 1.0 : 0.0)` : this.value(e);
  }

  /** The expression as a boolean (numbers compare with 0). */
  bool(e: PrimExpr): string {
    if (!isBoolExpr(e)) return `(${this.value(e)} != 0.0)`;
    switch (e.kind) {
      case 'tir.Binary': {
        if (e.op === 'and') return `(${this.bool(e.a)} && ${this.bool(e.b)})`;
        if (e.op === 'or') return `(${this.bool(e.a)} || ${this.bool(e.b)})`;
        return `(${this.num(e.a)} ${COMPARE[e.op]} ${this.num(e.b)})`;
      }
      case 'tir.Not':
        return `!(${this.bool(e.a)})`;
      case 'tir.IntImm':
        return e.value ? '(1.0 > 0.0)' : '(1.0 < 0.0)';
      case 'tir.Cast':
        return this.bool(e.value);
      case 'tir.Select':
        return `(${this.bool(e.cond)} ? ${this.bool(e.t)} : ${this.bool(e.f)})`;
      case 'tir.Call': {
        const x = this.tmp(this.num(e.args[0]!));
        return `(${x} != ${x})`;
      }
      default:
        throw new GpuUnsupported(`${e.kind} as a condition`);
    }
  }

  /** A number-valued expression (not a boolean). */
  private value(e: PrimExpr): string {
    switch (e.kind) {
      case 'tir.Var':
        return this.lets.get(e) ?? this.scope.varCode(e);
      case 'tir.IntImm':
        return intLit(e.value);
      case 'tir.FloatImm':
        return floatLit(e.value);
      case 'tir.StringImm':
        throw new GpuUnsupported('string values');
      case 'tir.Binary':
        return this.binary(e.op, e.a, e.b, e.dtype);
      case 'tir.Select':
        return `(${this.bool(e.cond)} ? ${this.num(e.t)} : ${this.num(e.f)})`;
      case 'tir.Cast':
        return this.cast(e.value, e.dtype);
      case 'tir.BufferLoad':
        return this.scope.load(e.buffer, this.flatIndex(e.buffer, e.indices));
      case 'tir.Let': {
        this.lets.set(e.v, this.tmp(this.num(e.value)));
        return this.num(e.body);
      }
      case 'tir.Call':
        return this.call(e.op, e.args, e.dtype);
      case 'tir.Not':
        return this.num(e);
    }
  }

  /** `sum(index_k * stride_k)` with the buffer's constant strides. */
  flatIndex(buf: Buffer, indices: readonly PrimExpr[]): string {
    if (indices.length === 0) return '0';
    const strides = this.scope.strides(buf);
    const terms = indices.map((ix, k) => {
      const s = strides[k] ?? 1;
      const c = this.constant(ix);
      if (c !== undefined) return c * s === 0 ? '' : intLit(c * s);
      const code = this.num(ix);
      return s === 1 ? code : `${code} * ${intLit(s)}`;
    }).filter((t) => t !== '');
    return terms.length ? terms.join(' + ') : '0';
  }

  /** The value of an expression made only of literals and bound shape vars, else undefined. */
  constant(e: PrimExpr): number | undefined {
    switch (e.kind) {
      case 'tir.IntImm':
      case 'tir.FloatImm':
        return e.value;
      case 'tir.Var':
        return this.lets.has(e) ? undefined : this.scope.constOf(e);
      case 'tir.Cast': {
        const v = this.constant(e.value);
        return v === undefined ? undefined : isIntDtype(e.dtype) ? Math.trunc(v) : v;
      }
      case 'tir.Binary': {
        const a = this.constant(e.a);
        const b = this.constant(e.b);
        if (a === undefined || b === undefined) return undefined;
        return foldBinary(e.op, a, b, isIntDtype(e.dtype));
      }
      default:
        return undefined;
    }
  }

  private binary(op: string, a: PrimExpr, b: PrimExpr, dtype: string): string {
    if (op in COMPARE || op === 'and' || op === 'or') return this.num({ kind: 'tir.Binary', op: op as 'eq', a, b, dtype });
    const int = isIntDtype(dtype);
    if (int && Math.abs(this.constant({ kind: 'tir.Binary', op: op as 'add', a, b, dtype }) ?? 0) > F32_EXACT_INT)
      throw new GpuUnsupported(`an ${dtype} value beyond 2^24, which float32 (gpu.js) cannot hold exactly`);
    const x = this.num(a);
    const y = this.num(b);
    switch (op) {
      case 'add': return `(${x} + ${y})`;
      case 'sub': return `(${x} - ${y})`;
      case 'mul': return `(${x} * ${y})`;
      case 'div': return int ? this.intDiv(x, b, 'trunc') : `(${x} / ${y})`;
      case 'floordiv': return int ? this.intDiv(x, b, 'floor') : `Math.floor(${x} / ${y})`;
      case 'mod':
      case 'floormod': {
        if (!int) return op === 'mod' ? `(${x} - ${y} * Math.trunc(${x} / ${y}))` : `(${x} - ${y} * Math.floor(${x} / ${y}))`;
        const xa = this.tmp(x);
        return `(${xa} - ${this.intDiv(xa, b, op === 'mod' ? 'trunc' : 'floor')} * ${y})`;
      }
      case 'min': return `Math.min(${x}, ${y})`;
      case 'max': return `Math.max(${x}, ${y})`;
      default: throw new GpuUnsupported(`the binary operator ${op}`);
    }
  }

  /** Exact integer division in float32: a positive constant divisor gets the +0.5 guard. */
  private intDiv(x: string, b: PrimExpr, round: 'floor' | 'trunc'): string {
    const d = this.constant(b);
    if (d !== undefined && d > 0) {
      if (d === 1) return x;
      const xa = this.tmp(x);
      if (round === 'floor') return `Math.floor((${xa} + 0.5) / ${floatLit(d)})`;
      return `(${xa} >= 0.0 ? Math.floor((${xa} + 0.5) / ${floatLit(d)}) : (0.0 - Math.floor((0.5 - ${xa}) / ${floatLit(d)})))`;
    }
    const y = this.num(b);
    return `Math.${round}(${x} / ${y})`;
  }

  private cast(v: PrimExpr, to: string): string {
    if (to === 'bool') return this.num({ kind: 'tir.Cast', dtype: 'bool', value: v });
    const from = v.kind === 'tir.StringImm' ? 'handle' : v.dtype;
    const x = this.num(v);
    if (isFloatDtype(to)) {
      if (to === 'float16' || to === 'float64') throw new GpuUnsupported(`casts to ${to} (gpu.js computes in float32)`);
      return x;
    }
    if (isIntDtype(to)) {
      if (to === 'int8' || to === 'uint8' || to === 'int16' || to === 'uint16' || to === 'uint32')
        throw new GpuUnsupported(`casts to ${to} (wrap-around is integer arithmetic gpu.js cannot do exactly)`);
      return isFloatDtype(from) ? `Math.trunc(${x})` : x;
    }
    throw new GpuUnsupported(`casts to ${to}`);
  }

  private call(op: string, args: readonly PrimExpr[], dtype: string): string {
    const u = UNARY[op];
    if (u && args.length === 1) return u(this.num(args[0]!));
    const b = BINARY_CALL[op];
    if (b && args.length === 2) {
      const x = op === 'pow' ? this.num(args[0]!) : this.tmp(this.num(args[0]!));
      const y = op === 'pow' ? this.num(args[1]!) : this.tmp(this.num(args[1]!));
      return b(x, y);
    }
    switch (op) {
      case 'round':
      case 'nearbyint':
        return this.roundEven(this.num(args[0]!));
      case 'erf':
        return this.erf(this.num(args[0]!));
      case 'if_then_else':
        return `(${this.bool(args[0]!)} ? ${this.num(args[1]!)} : ${this.num(args[2]!)})`;
      case 'isnan':
        return this.num({ kind: 'tir.Call', op, args, dtype: 'bool' });
      case 'max_value':
      case 'min_value':
        return this.limit(op, dtype);
      case 'infinity':
        return floatLit(Infinity);
      default:
        throw new GpuUnsupported(`T.${op}`);
    }
  }

  private limit(op: string, dtype: string): string {
    if (dtype === 'float32') return floatLit(op === 'max_value' ? 3.4028234663852886e38 : -3.4028234663852886e38);
    throw new GpuUnsupported(`T.${op} of ${dtype}`);
  }

  /** Round half to even (TVM `round`): floor(x + 0.5), minus one on an exact tie with an odd result. */
  private roundEven(x: string): string {
    const xa = this.tmp(x);
    const r = this.tmp(`Math.floor(${xa} + 0.5)`);
    return `(${r} - (((${r} - ${xa}) == 0.5 && (${r} - 2.0 * Math.floor(${r} / 2.0)) == 1.0) ? 1.0 : 0.0))`;
  }

  /** erf: Maclaurin series below 0.5, Abramowitz-Stegun 7.1.26 above (abs. error < 1.5e-7). */
  private erf(x: string): string {
    const xa = this.tmp(x);
    const ax = this.tmp(`Math.abs(${xa})`);
    const x2 = this.tmp(`${xa} * ${xa}`);
    const series = `(1.1283791670955126 * ${xa} * (1.0 - ${x2} * (0.3333333333333333 - ${x2} * (0.1 - ${x2} * (0.023809523809523808 - ${x2} * 0.004629629629629629)))))`;
    const t = this.tmp(`1.0 / (1.0 + 0.3275911 * ${ax})`);
    const poly = `(${t} * (0.254829592 + ${t} * (-0.284496736 + ${t} * (1.421413741 + ${t} * (-1.453152027 + ${t} * 1.061405429)))))`;
    const tail = `(Math.sign(${xa}) * (1.0 - ${poly} * Math.exp(0.0 - ${x2})))`;
    return `(${ax} < 0.5 ? ${series} : ${tail})`;
  }
}

function foldBinary(op: string, a: number, b: number, int: boolean): number | undefined {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return int ? (b === 0 ? undefined : Math.trunc(a / b)) : a / b;
    case 'floordiv': return b === 0 ? undefined : Math.floor(a / b);
    case 'mod': return b === 0 ? undefined : a % b;
    case 'floormod': return b === 0 ? undefined : a - Math.floor(a / b) * b;
    case 'min': return Math.min(a, b);
    case 'max': return Math.max(a, b);
    default: return undefined;
  }
}
