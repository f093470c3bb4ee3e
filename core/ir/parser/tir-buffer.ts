/**
 * TIR buffers and attribute values: `T.Buffer(shape, dtype, ...)` (also the RFC subscript form
 * `T.Buffer[(n,), "float32"]`), the buffer part of `T.match_buffer` / `T.alloc_buffer` / `T.sblock_alloc_buffer`,
 * and the conversion of `T.func_attr` / `T.block_attr` / loop `annotations=` values into AttrValues.
 *
 * Keyword arguments beyond shape/dtype/strides/scope are kept in `Buffer.extra` as written, minus values equal to
 * TVM's defaults (None, align=0, offset_factor=0, buffer_type="default"), so that spelling a default does not change
 * the IR. Where a buffer is defined (params, blocks, the root block) is decided by the callers in tir-stmt.ts.
 */
import type { Span } from '../span.js';
import type { AttrValue } from '../attrs.js';
import type { PyCall, PyExpr, PyKeyword } from './pyast.js';
import type { Buffer, PrimExpr } from '../tir/nodes.js';
import type { ExprEnv } from './tir-expr.js';
import { attrDict } from '../attrs.js';
import { floatImm, intImm, isIntDtype, primDtype } from '../tir/nodes.js';
import { bindArgs, buildExpr, evalPyConst, readDtype, strConst, tPath } from './tir-expr.js';

/** TVM's buffer parameters after the shape, in positional order. */
export const BUFFER_PARAMS = [
  'shape', 'dtype', 'data', 'strides', 'elem_offset', 'scope', 'align', 'offset_factor', 'buffer_type', 'axis_separators',
] as const;

const DEFAULT_EXTRAS: Readonly<Record<string, (e: PyExpr) => boolean>> = {
  data: isNone,
  elem_offset: isNone,
  align: (e) => isNone(e) || evalPyConst(e)?.value === 0 || evalPyConst(e)?.value === -1,
  offset_factor: (e) => isNone(e) || evalPyConst(e)?.value === 0,
  buffer_type: (e) => isNone(e) || strConst(e) === 'default' || strConst(e) === '',
  axis_separators: (e) => isNone(e) || ((e.kind === 'List' || e.kind === 'Tuple') && e.elts.length === 0),
};

function isNone(e: PyExpr): boolean {
  return e.kind === 'Constant' && e.valueKind === 'None';
}

/** @internal A shape written as a tuple/list of dims or a single dim. Python ints stay int32, as in TVM. */
export function buildShape(e: PyExpr, env: ExprEnv): PrimExpr[] | undefined {
  const dims = e.kind === 'Tuple' || e.kind === 'List' ? e.elts : [e];
  const out = dims.map((d) => buildExpr(d, env));
  const bad = out.findIndex((d) => d !== undefined && !isIntDtype(primDtype(d)));
  if (bad >= 0) {
    env.ctx.diags.error('T302', `Buffer shapes and strides are integer expressions. However, a ${primDtype(out[bad]!)} value was given.`, dims[bad]!.span);
    return undefined;
  }
  return out.some((d) => !d) ? undefined : (out as PrimExpr[]);
}

/**
 * @internal Builds a buffer from matched arguments (`BUFFER_PARAMS` names). `shapeEnv` may declare RFC implicit
 * vars; other arguments are built in `env`.
 */
export function buildBuffer(
  name: string,
  args: ReadonlyMap<string, PyExpr>,
  extraKws: readonly PyKeyword[],
  env: ExprEnv,
  shapeEnv: ExprEnv,
  span: Span,
): Buffer | undefined {
  const shapeE = args.get('shape');
  const shape = shapeE ? buildShape(shapeE, shapeEnv) : [];
  const dtypeE = args.get('dtype');
  const dtype = dtypeE ? readDtype(dtypeE, env) : 'float32';
  const stridesE = args.get('strides');
  const strides = stridesE && !isNone(stridesE) ? buildShape(stridesE, shapeEnv) : [];
  const scopeE = args.get('scope');
  const scope = scopeE ? strConst(scopeE) : 'global';
  if (scopeE && scope === undefined) env.ctx.diags.error('T302', 'A buffer scope is a string such as "global" or "shared". However, something else was given.', scopeE.span);
  if (!shape || !dtype || !strides || scope === undefined) return undefined;
  const extra = bufferExtras(args, extraKws, env);
  return {
    kind: 'tir.Buffer', name, dtype, shape, strides, scope,
    ...(extra.length ? { extra: attrDict(extra) } : {}),
    span,
  };
}

function bufferExtras(args: ReadonlyMap<string, PyExpr>, extraKws: readonly PyKeyword[], env: ExprEnv): [string, AttrValue][] {
  const out: [string, AttrValue][] = [];
  const written: [string, PyExpr][] = [...args].filter(([k]) => k in DEFAULT_EXTRAS);
  for (const kw of extraKws) if (kw.name !== null) written.push([kw.name, kw.value]);
  for (const [k, e] of written) {
    if (DEFAULT_EXTRAS[k]?.(e)) continue;
    const v = toAttrValue(e, env);
    if (v !== undefined) out.push([k, v]);
  }
  return out;
}

/**
 * @internal A buffer from a call whose buffer arguments follow `leading` ones (`["param"]` for T.match_buffer, none
 * for T.alloc_buffer and T.Buffer). Returns the buffer and the leading arguments.
 */
export function bufferFromCall(
  name: string,
  call: PyCall,
  leading: readonly string[],
  what: string,
  env: ExprEnv,
  shapeEnv: ExprEnv,
): { buffer: Buffer; lead: ReadonlyMap<string, PyExpr> } | undefined {
  const bound = bindArgs(call, [...leading, ...BUFFER_PARAMS], what, env.ctx.diags, leading.length + 1);
  if (!bound) return undefined;
  const buffer = buildBuffer(name, bound.args, bound.extra, env, shapeEnv, call.span);
  return buffer && { buffer, lead: bound.args };
}

/** @internal The RFC annotation `T.Buffer[(n, m), "float32"]` (the dtype may be omitted). */
export function bufferFromSubscript(name: string, index: PyExpr, span: Span, env: ExprEnv, shapeEnv: ExprEnv): Buffer | undefined {
  const parts = index.kind === 'Tuple' && !index.parenthesized ? index.elts : [index];
  const args = new Map<string, PyExpr>();
  parts.forEach((p, i) => {
    const key = BUFFER_PARAMS[i];
    if (key) args.set(key, p);
  });
  return buildBuffer(name, args, [], env, shapeEnv, span);
}

/**
 * @internal An attribute value: bools and strings stay Python values, ints are int64 and floats float64 immediates
 * (as the Relax side does), lists and dicts nest, anything else is built as a PrimExpr (`T.bool(True)`, a var).
 */
export function toAttrValue(e: PyExpr, env: ExprEnv): AttrValue | undefined {
  if (e.kind === 'Constant') {
    if (e.valueKind === 'bool') return Boolean(e.value);
    if (e.valueKind === 'str') return String(e.value);
    if (e.valueKind === 'None') return null;
  }
  const n = evalPyConst(e);
  if (n) return n.isFloat ? floatImm(n.value, 'float64', e.span) : intImm(n.value, 'int64', e.span);
  if (e.kind === 'List' || e.kind === 'Tuple') {
    const items = e.elts.map((x) => toAttrValue(x, env));
    return items.some((x) => x === undefined) ? undefined : (items as AttrValue[]);
  }
  if (e.kind === 'Dict') return dictAttr(e, env);
  // Python-level objects TVM prints in attributes (`"target": T.target({...})`) are kept as written.
  const text = env.ctx.text;
  if (e.kind === 'Call' && text !== undefined && OPAQUE_CALLS.has(tPath(e.func, env.ctx) ?? '')) {
    return { kind: 'attr.Opaque', text: text.slice(e.span.start, e.span.end) };
  }
  return buildExpr(e, env);
}

const OPAQUE_CALLS: ReadonlySet<string> = new Set(['target']);

function dictAttr(e: Extract<PyExpr, { kind: 'Dict' }>, env: ExprEnv): AttrValue | undefined {
  const entries: [string, AttrValue][] = [];
  for (let i = 0; i < e.keys.length; i++) {
    const k = e.keys[i];
    const key = k ? strConst(k) : undefined;
    if (key === undefined) {
      env.ctx.diags.error('T302', 'Attribute dictionaries have string keys. However, a key that is not a string literal was found.', (k ?? e).span);
      return undefined;
    }
    const v = toAttrValue(e.values[i]!, env);
    if (v === undefined) return undefined;
    entries.push([key, v]);
  }
  return attrDict(entries);
}
