/**
 * Test helpers for op inference: build calls the way the parser does (attrs with defaults, normalized), run
 * `inferExprSInfo`, and print struct info compactly (`R.Tensor((n * m, 4), "float32")`) for table-driven tests.
 * Not used by product code.
 */
import type { AttrValue } from '../attrs.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr, RelaxVar, StructInfo } from '../relax/nodes.js';
import { call, op, relaxVar, SI } from '../relax/nodes.js';
import { inferExprSInfo } from '../relax/infer-impl.js';
import type { PrimExpr, TirVar } from '../tir/nodes.js';
import { intImm, tvar } from '../tir/nodes.js';
import { makeAttrs } from './common.js';
import { lookupOp } from './registry.js';
import './all.js';

/** Shared symbolic vars for tests. */
export const n: TirVar = tvar('n');
export const m: TirVar = tvar('m');
export const k: TirVar = tvar('k');

/** Dims from numbers and vars. */
export function dims(...ds: (number | PrimExpr)[]): PrimExpr[] {
  return ds.map((d) => (typeof d === 'number' ? intImm(d, 'int64') : d));
}

/** A tensor-typed var: `tv([n, 4])`, `tv(null, 'float32', 2)` for rank only. */
export function tv(shape: (number | PrimExpr)[] | null, dtype = 'float32', ndim = -1): RelaxVar {
  return relaxVar('x', shape ? SI.tensor(dims(...shape), dtype) : SI.tensorNdim(dtype, ndim));
}

/** Runs inference of `R.<name>(args, **attrs)`; returns the printed result and the diagnostics. */
export function inferOp(name: string, args: readonly Expr[], attrs: Record<string, AttrValue> = {}): { out: string; diags: Diagnostic[] } {
  const full = name.startsWith('relax.') ? name : `relax.${name}`;
  const def = lookupOp(full);
  if (!def) throw new Error(`no op ${full}`);
  const diags: Diagnostic[] = [];
  const c = call(op(full), args, makeAttrs(def, attrs));
  const si = inferExprSInfo(c, { lookupGlobal: () => undefined, report: (d) => diags.push(d) });
  return { out: showSInfo(si), diags };
}

const PREC: Record<string, number> = { add: 1, sub: 1, mul: 2, floordiv: 2, floormod: 2, div: 2, mod: 2 };
const SYM: Record<string, string> = { add: '+', sub: '-', mul: '*', floordiv: '//', floormod: '%', div: '/', mod: '%' };

/** A PrimExpr in Python syntax with minimal parentheses. */
export function showExpr(e: PrimExpr, parent = 0): string {
  switch (e.kind) {
    case 'tir.IntImm':
    case 'tir.FloatImm':
      return String(e.value);
    case 'tir.Var':
      return e.name;
    case 'tir.Binary': {
      const p = PREC[e.op];
      if (p === undefined) return `T.${e.op}(${showExpr(e.a)}, ${showExpr(e.b)})`;
      const s = `${showExpr(e.a, p)} ${SYM[e.op]} ${showExpr(e.b, p + 1)}`;
      return p < parent ? `(${s})` : s;
    }
    default:
      return `<${e.kind}>`;
  }
}

/** Struct info in a compact TVMScript-like form. */
export function showSInfo(si: StructInfo): string {
  switch (si.kind) {
    case 'si.Object':
      return 'R.Any';
    case 'si.Prim':
      return `R.Prim("${si.dtype}")`;
    case 'si.Shape':
      return si.values ? `R.Shape([${si.values.map((v) => showExpr(v)).join(', ')}])` : `R.Shape(ndim=${si.ndim})`;
    case 'si.Tuple':
      return `R.Tuple(${si.fields.map(showSInfo).join(', ')})`;
    case 'si.Func':
      return 'R.Callable';
    case 'si.Tensor': {
      if (si.shape?.kind === 'relax.ShapeExpr') {
        const v = si.shape.values;
        return `R.Tensor((${v.map((x) => showExpr(x)).join(', ')}${v.length === 1 ? ',' : ''}), "${si.dtype}")`;
      }
      if (si.shape) return `R.Tensor(${si.shape.name}, "${si.dtype}")`;
      return `R.Tensor("${si.dtype}", ndim=${si.ndim})`;
    }
  }
}

/** `R.shape([...])`. */
export function shp(...ds: (number | PrimExpr)[]): Expr {
  return { kind: 'relax.ShapeExpr', values: dims(...ds) };
}
/** A PrimValue of an int (int64), float (float64) or PrimExpr. */
export function pv(v: number | PrimExpr, float = false): Expr {
  const value: PrimExpr = typeof v === 'number' ? (float ? { kind: 'tir.FloatImm', dtype: 'float64', value: v } : intImm(v, 'int64')) : v;
  return { kind: 'relax.PrimValue', value };
}
/** A tuple expression. */
export function tup(...fields: Expr[]): Expr {
  return { kind: 'relax.Tuple', fields };
}
/** A tuple of int PrimValues (strided_slice's axes/begin/end). */
export function pvs(...vs: (number | PrimExpr)[]): Expr {
  return tup(...vs.map((v) => pv(v)));
}
/** A scalar constant. */
export function scalar(v: number, dtype = 'float32'): Expr {
  return { kind: 'relax.Constant', dtype, shape: [], data: [v] };
}
