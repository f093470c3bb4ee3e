/**
 * What the editor's typed fields hold, read from the text a person types: attribute values by the op's `AttrType`
 * (`2`, `2, 2`, `[0, 1]`, `float32`, `True`, `None`, `n * 2`) and a parameter's struct info (`(n, 784), float32`).
 * Python syntax is read by the Python parser; the values are checked here, so a bad field gives one clear message
 * (a `string` error) and never an exception. Symbolic names resolve to the function's existing shape vars, so the
 * new value shares them (identity is what ties `n` in a param to `n` elsewhere); unknown names make new ones.
 */
import type { AttrValue } from '../attrs.js';
import type { AttrType, OpParam } from '../op/registry.js';
import { parsePython } from '../parser/py-parser.js';
import type { PyExpr } from '../parser/pyast.js';
import type { StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import type { BinaryOp, PrimExpr, TirVar } from '../tir/nodes.js';
import { binary, floatImm, intImm, tvar } from '../tir/nodes.js';

/** A value read from a field, or why it cannot be. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(error: string): Read<T> => ({ ok: false, error });

/** The dtypes offered in dtype fields. */
export const DTYPES = [
  'float32', 'float16', 'bfloat16', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'bool',
] as const;

/** Shape vars in scope, by name; new names are added as they are read. */
export type ShapeVars = Map<string, TirVar>;

/** Reads one Python expression; tuples without parentheses are allowed (`2, 2`). */
function readPy(text: string): Read<PyExpr> {
  const src = text.trim();
  if (src === '') return fail('The field is empty.');
  const { module, diagnostics } = parsePython(`(${src})\n`);
  const stmt = module.body[0];
  if (diagnostics.some((d) => d.severity === 'error') || module.body.length !== 1 || stmt?.kind !== 'Expr') {
    return fail(`"${src}" is not a Python value.`);
  }
  return ok(stmt.value);
}

const BIN: Partial<Record<string, BinaryOp>> = { '+': 'add', '-': 'sub', '*': 'mul', '//': 'floordiv', '%': 'floormod' };

/** A symbolic integer expression: ints, names (shape vars) and + - * // %. */
function primOf(e: PyExpr, vars: ShapeVars): Read<PrimExpr> {
  switch (e.kind) {
    case 'Constant':
      if (e.valueKind === 'int') return ok(intImm(Number(e.value)));
      if (e.valueKind === 'str' && /^[A-Za-z_]\w*$/.test(String(e.value))) return ok(shapeVar(String(e.value), vars));
      return fail(`A dimension must be an integer or a name. However, it is ${e.raw}.`);
    case 'Name':
      return ok(shapeVar(e.id, vars));
    case 'UnaryOp': {
      const x = primOf(e.operand, vars);
      if (!x.ok || e.op !== '-') return x.ok ? fail(`The operator ${e.op} is not allowed in a dimension.`) : x;
      return ok(x.value.kind === 'tir.IntImm' ? intImm(-x.value.value) : binary('sub', intImm(0), x.value));
    }
    case 'BinOp': {
      const op = BIN[e.op];
      if (!op) return fail(`A dimension may use + - * // %. However, it uses ${e.op}.`);
      const [a, b] = [primOf(e.left, vars), primOf(e.right, vars)];
      if (!a.ok) return a;
      if (!b.ok) return b;
      return ok(binary(op, a.value, b.value));
    }
    default:
      return fail('A dimension must be an integer, a name or an arithmetic expression of them.');
  }
}

function shapeVar(name: string, vars: ShapeVars): TirVar {
  let v = vars.get(name);
  if (!v) vars.set(name, (v = tvar(name)));
  return v;
}

/** The elements of a tuple or list, or the value alone. */
function elements(e: PyExpr): readonly PyExpr[] {
  return e.kind === 'Tuple' || e.kind === 'List' ? e.elts : [e];
}

function intOf(e: PyExpr): Read<number> {
  if (e.kind === 'Constant' && e.valueKind === 'int') return ok(Number(e.value));
  if (e.kind === 'UnaryOp' && e.op === '-' && e.operand.kind === 'Constant' && e.operand.valueKind === 'int') {
    return ok(-Number(e.operand.value));
  }
  return fail(`An integer is expected. However, the value is not one.`);
}

function intsOf(e: PyExpr): Read<AttrValue> {
  const out: AttrValue[] = [];
  for (const x of elements(e)) {
    const i = intOf(x);
    if (!i.ok) return fail('A list of integers is expected, e.g. "1, 2" or "[1, 2]".');
    out.push(intImm(i.value));
  }
  return ok(out);
}

function isNone(e: PyExpr): boolean {
  return e.kind === 'Constant' && e.valueKind === 'None';
}

function strOf(e: PyExpr): string | undefined {
  if (e.kind === 'Constant' && e.valueKind === 'str') return String(e.value);
  if (e.kind === 'Name') return e.id;
  return undefined;
}

function numberOf(e: PyExpr): number | undefined {
  if (e.kind === 'Constant' && (e.valueKind === 'int' || e.valueKind === 'float')) return Number(e.value);
  if (e.kind === 'UnaryOp' && e.op === '-') {
    const n = numberOf(e.operand);
    return n === undefined ? undefined : -n;
  }
  return undefined;
}

/** Reads one attribute field by its type (see the file header); `vars` resolves symbolic names. */
export function readAttr(param: OpParam, text: string, vars: ShapeVars = new Map()): Read<AttrValue> {
  const py = readPy(text);
  if (!py.ok) return py;
  const e = py.value;
  const type: AttrType = param.attrType ?? 'any';
  const named = (r: Read<AttrValue>): Read<AttrValue> => (r.ok ? r : fail(`${param.name}: ${r.error}`));
  if (isNone(e) && (type.endsWith('_or_none') || type === 'opt_axes' || param.default === null)) return ok(null);
  return named(readTyped(type, e, param, vars));
}

function readTyped(type: AttrType, e: PyExpr, param: OpParam, vars: ShapeVars): Read<AttrValue> {
  switch (type) {
    case 'int': case 'int_or_none': case 'axis': {
      const i = intOf(e);
      return i.ok ? ok(intImm(i.value)) : i;
    }
    case 'float': case 'float_or_none': {
      const n = numberOf(e);
      return n === undefined ? fail('A number is expected.') : ok(floatImm(n, 'float64'));
    }
    case 'bool':
      return e.kind === 'Constant' && e.valueKind === 'bool' ? ok(Boolean(e.value)) : fail('True or False is expected.');
    case 'str': case 'str_or_none': case 'dtype':
      return readStr(type, e, param);
    case 'ints': case 'axes': case 'opt_axes':
      return intsOf(e);
    case 'int_or_ints':
      return e.kind === 'Tuple' || e.kind === 'List' ? intsOf(e) : readTyped('int', e, param, vars);
    case 'prim_exprs': {
      const out: AttrValue[] = [];
      for (const x of elements(e)) {
        const p = primOf(x, vars);
        if (!p.ok) return p;
        out.push(p.value);
      }
      return ok(out);
    }
    default:
      return readAny(e, vars);
  }
}

function readStr(type: AttrType, e: PyExpr, param: OpParam): Read<AttrValue> {
  const s = strOf(e);
  if (s === undefined) return fail('A name is expected.');
  if (type === 'dtype' && s !== '' && s !== 'void' && !/^(float|int|uint|bfloat)\d+(x\d+)?$|^bool$|^e4m3_float8$|^e5m2_float8$/.test(s)) {
    return fail(`A dtype such as float32 is expected. However, the value is "${s}".`);
  }
  if (param.choices && !param.choices.includes(s)) return fail(`One of ${param.choices.join(', ')} is expected. However, the value is "${s}".`);
  return ok(s);
}

function readAny(e: PyExpr, vars: ShapeVars): Read<AttrValue> {
  if (isNone(e)) return ok(null);
  if (e.kind === 'Constant' && e.valueKind === 'bool') return ok(Boolean(e.value));
  if (e.kind === 'Constant' && e.valueKind === 'str') return ok(String(e.value));
  if (e.kind === 'Constant' && e.valueKind === 'float') return ok(floatImm(Number(e.value), 'float64'));
  if (e.kind === 'Tuple' || e.kind === 'List') {
    const out: AttrValue[] = [];
    for (const x of e.elts) {
      const r = readAny(x, vars);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }
  return primOf(e, vars);
}

/**
 * Reads a tensor parameter's struct info: `(n, 784), float32`, `(n, 784)` (dtype kept from `dtype`), or a full
 * `R.Tensor((n, 784), "float32")`.
 */
export function readTensorSInfo(text: string, vars: ShapeVars, dtype = 'float32'): Read<StructInfo> {
  const py = readPy(text.replace(/^\s*R\.Tensor\s*\((.*)\)\s*$/s, '$1').replace(/dtype\s*=\s*/, ''));
  if (!py.ok) return fail(`A struct info such as "(n, 784), float32" is expected. ${py.error}`);
  const e = py.value;
  const first = e.kind === 'Tuple' ? e.elts[0] : undefined;
  const parts = first && (first.kind === 'Tuple' || first.kind === 'List') && e.kind === 'Tuple' ? e.elts : [e];
  const [shapeE, dtypeE] = parts;
  if (!shapeE || parts.length > 2 || (shapeE.kind !== 'Tuple' && shapeE.kind !== 'List')) {
    return fail('A struct info such as "(n, 784), float32" is expected: a shape in parentheses, then a dtype.');
  }
  const dims: PrimExpr[] = [];
  for (const d of shapeE.elts) {
    const p = primOf(d, vars);
    if (!p.ok) return p;
    dims.push(p.value);
  }
  const dt = dtypeE ? readStr('dtype', dtypeE, { name: 'dtype', kind: 'attr' }) : ok<AttrValue>(dtype);
  if (!dt.ok) return dt;
  return ok(SI.tensor(dims, String(dt.value)));
}
