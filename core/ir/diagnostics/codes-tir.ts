/**
 * T3xx: TVMScript TIR semantics, emitted by the TIR builder (`../parser/tir-builder.ts`, `tir-expr.ts`,
 * `tir-stmt.ts`) while it turns Python syntax into PrimFuncs and PrimExprs. Python syntax errors are P1xx and are
 * reported before the builder runs; well-formedness of the finished IR is left to the verifier (WFnn).
 * Codes are stable: tests and docs refer to them.
 */
import type { CodeInfo } from './catalog.js';

/** Every T3xx code with a title and a one-line explanation, for the catalog, docs and the CLI `explain` command. */
export const TIR_CODES: Readonly<Record<string, CodeInfo>> = {
  T301: {
    title: 'undefined name',
    doc: 'A name used in a TIR expression must be a parameter, a declared symbolic var (`n = T.int64()`), a loop or block var, a buffer or a let-bound var.',
  },
  T302: {
    title: 'bad arguments to a T.* construct',
    doc: 'A T.* construct (T.grid, T.match_buffer, T.max, T.axis.spatial, ...) was called with the wrong number or kind of arguments.',
  },
  T303: {
    title: 'index count does not match buffer rank',
    doc: 'A buffer access `A[i, j]` must have exactly one index (or slice) per buffer dimension; a 0-d buffer is accessed as `A[()]`.',
  },
  T304: {
    title: 'bad dtype',
    doc: 'A dtype must be a TVM data type string such as "float32", "int64", "bool", "float16x4" or "handle".',
  },
  T305: {
    title: 'bad T.axis.remap',
    doc: 'T.axis.remap takes a kinds string of "S" (spatial) and "R" (reduce) letters, one per binding, and a list of loop vars.',
  },
  T306: {
    title: 'assignment to a non-buffer',
    doc: 'Only buffers can be stored to with `A[i] = v`; the subscripted name here is a var, a parameter handle or something else.',
  },
  T307: {
    title: 'block construct outside a block',
    doc: 'T.axis.*, T.reads, T.writes, T.where, T.block_attr and T.init are only valid directly inside `with T.block(...)` / `with T.sblock(...)`.',
  },
  T308: {
    title: 'implicitly declared symbolic var',
    doc: 'The 2022 RFC dialect used shape names without declaring them; they are read as new int64 vars. Declare them with `n = T.int64()` instead.',
  },
  T309: {
    title: 'unsupported TIR syntax',
    doc: 'This Python statement or TIR construct is not part of the TIR subset this tool reads (while loops, T.attr, T.allocate, vector slices, ...).',
  },
  T310: {
    title: 'not a TIR expression',
    doc: 'A TIR expression must be a number, a var, a buffer load, an operator, or a T.* intrinsic; buffers, lists, None and other Python values are not.',
  },
  T311: {
    title: 'bad parameter annotation',
    doc: 'A PrimFunc parameter needs an annotation: T.handle, a scalar type (T.int64, T.float32, ...) or T.Buffer(shape, dtype).',
  },
  T312: {
    title: 'bad prim_func decorator',
    doc: '@T.prim_func accepts the keyword flags private, s_tir and check_well_formed, each a True/False literal.',
  },
};
