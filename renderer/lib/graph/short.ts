/**
 * Short struct info for edge labels: `(n, 256) f32`, `(a, b)` for tuples, `shape(n, 4)`, `i64`, `?` for R.Any.
 * The full TVMScript text (printStructInfo) goes in the hover title.
 */
import type { StructInfo } from '../../../core/ir/relax/nodes.js';
import { tensorDims } from '../../../core/ir/relax/nodes.js';
import { printPrimExpr } from '../../../core/ir/printer/index.js';

const DTYPE: Record<string, string> = {
  float32: 'f32', float16: 'f16', float64: 'f64', bfloat16: 'bf16', int8: 'i8', int16: 'i16', int32: 'i32', int64: 'i64',
  uint8: 'u8', uint16: 'u16', uint32: 'u32', uint64: 'u64', bool: 'bool', '': '?', void: '?',
};

/** `float32` -> `f32`. */
export function shortDtype(d: string): string {
  return DTYPE[d] ?? d;
}

function dims(values: readonly Parameters<typeof printPrimExpr>[0][]): string {
  const parts = values.map((v) => printPrimExpr(v, { context: 'relax' }));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

/** The short form of a struct info (see the file header). */
export function shortSInfo(si: StructInfo): string {
  switch (si.kind) {
    case 'si.Tensor': {
      const ds = tensorDims(si);
      if (ds) return `${dims(ds)} ${shortDtype(si.dtype)}`;
      return si.ndim >= 0 ? `ndim=${si.ndim} ${shortDtype(si.dtype)}` : `tensor ${shortDtype(si.dtype)}`;
    }
    case 'si.Tuple':
      return `(${si.fields.map(shortSInfo).join(', ')})`;
    case 'si.Shape':
      return si.values ? `shape${dims(si.values)}` : `shape ndim=${si.ndim}`;
    case 'si.Prim':
      return si.value ? printPrimExpr(si.value, { context: 'relax' }) : shortDtype(si.dtype);
    case 'si.Func':
      return 'fn';
    default:
      return '?';
  }
}
