/**
 * The `vm.builtin.*` functions the passes emit (TVM's `src/runtime/vm/builtin.cc`), registered by name.
 * Each receives the VM context (for `%vm` arguments and the error context) and its arguments as values.
 * Errors are `VMRuntimeError`s whose message names the function, parameter and expectation, in TVM's words
 * ("expected tensor with ndim 2, but got 3").
 */
import { Tensor, allocData, shapeSize, storageFor } from './tensor.js';
import type { TypedArray } from './tensor.js';
import { Closure, DataTypeValue, ShapeTuple, Storage } from './value.js';
import type { Value } from './value.js';

/** A run-time error from a program: bad inputs, failed checks, a packed function that threw. */
export class VMRuntimeError extends Error {
  constructor(
    message: string,
    /** The source bindings (graph nodes) of the instruction that failed, when known. */
    readonly nodes: readonly string[] = [],
  ) {
    super(message);
    this.name = 'VMRuntimeError';
  }
}

/** What builtins may ask of the VM. */
export interface BuiltinContext {
  /** Calls a closure or function value (invoke_closure). */
  callValue(fn: Value, args: readonly Value[]): Value | Promise<Value>;
  /** Writes one line of program output (`R.print`); the VM passes it to its `print` hook, if any. */
  print(text: string): void;
}

export type Builtin = (ctx: BuiltinContext, args: readonly Value[]) => Value | Promise<Value>;

/** match_shape / make_shape codes, as TVM's MatchShapeCode and MakeShapeCode. */
export const MatchShapeCode = { AssertEqualToImm: 0, StoreToHeap: 1, NoOp: 2, AssertEqualToLoad: 3 } as const;
export const MakeShapeCode = { UseImm: 0, LoadShape: 1 } as const;

export interface BuiltinOptions {
  /**
   * True for builtins that read no tensor's values (shapes, tuples, views, checks): the VM hands them tensors as
   * they are, device values included. Otherwise (the default) the VM awaits `Tensor.sync()` of every tensor
   * argument first, so that `data` can be read on every device (WebGPU reads back asynchronously).
   */
  readonly keepsDevice?: boolean;
}

const BUILTINS = new Map<string, Builtin>();
const KEEPS_DEVICE = new Set<string>();

export function registerBuiltin(name: string, fn: Builtin, options: BuiltinOptions = {}): void {
  BUILTINS.set(name, fn);
  if (options.keepsDevice) KEEPS_DEVICE.add(name);
  else KEEPS_DEVICE.delete(name);
}

export function lookupBuiltin(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}

/** Whether a builtin was registered with `keepsDevice` (its tensor arguments need no host values). */
export function builtinKeepsDevice(name: string): boolean {
  return KEEPS_DEVICE.has(name);
}

const DEVICE = { keepsDevice: true } as const;

// ---------------------------------------------------------------- argument helpers

function fail(msg: string): never {
  throw new VMRuntimeError(msg);
}

function asTensor(v: Value, what: string): Tensor {
  if (v instanceof Tensor) return v;
  return fail(`${what}: expected a tensor, but got ${kindOf(v)}`);
}

function asInt(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return fail(`${what}: expected an integer, but got ${kindOf(v)}`);
}

function asDims(v: Value, what: string): readonly number[] {
  if (v instanceof ShapeTuple) return v.dims;
  if (v instanceof Tensor) return Array.from(v.data);
  return fail(`${what}: expected a shape, but got ${kindOf(v)}`);
}

function asDtype(v: Value): string | undefined {
  if (v instanceof DataTypeValue) return v.dtype;
  if (typeof v === 'string') return v;
  return undefined;
}

function errCtx(v: Value | undefined): string {
  return typeof v === 'string' && v !== '' ? `${v}: ` : '';
}

/** A short description of a value for messages. */
export function kindOf(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `a tensor ${v.describe()}`;
  if (v instanceof ShapeTuple) return `a shape ${v.toString()}`;
  if (Array.isArray(v)) return `a tuple of ${v.length}`;
  if (v instanceof Storage) return 'a storage';
  if (v instanceof Closure || typeof v === 'function') return 'a function';
  return `${typeof v} ${String(v)}`;
}

// ---------------------------------------------------------------- checks

registerBuiltin('vm.builtin.check_tensor_info', (_ctx, [t, ndim, dtype, err]) => {
  const pre = errCtx(err);
  if (!(t instanceof Tensor)) fail(`${pre}expected a tensor, but got ${kindOf(t ?? null)}`);
  const n = asInt(ndim ?? -1, 'check_tensor_info');
  if (n !== -1 && t.ndim !== n) fail(`${pre}expected tensor with ndim ${n}, but got ${t.ndim}`);
  const dt = asDtype(dtype ?? null);
  if (dt && dt !== 'void' && t.dtype !== dt) fail(`${pre}expected tensor with dtype ${dt}, but got ${t.dtype}`);
  return null;
}, DEVICE);

registerBuiltin('vm.builtin.check_shape_info', (_ctx, [s, ndim, err]) => {
  const pre = errCtx(err);
  if (!(s instanceof ShapeTuple)) fail(`${pre}expected a shape, but got ${kindOf(s ?? null)}`);
  const n = asInt(ndim ?? -1, 'check_shape_info');
  if (n !== -1 && s.dims.length !== n) fail(`${pre}expected shape with ndim ${n}, but got ${s.dims.length}`);
  return null;
}, DEVICE);

registerBuiltin('vm.builtin.check_tuple_info', (_ctx, [t, size, err]) => {
  const pre = errCtx(err);
  if (!Array.isArray(t)) fail(`${pre}expected a tuple, but got ${kindOf(t ?? null)}`);
  const n = asInt(size ?? -1, 'check_tuple_info');
  if (n !== -1 && t.length !== n) fail(`${pre}expected tuple with ${n} fields, but got ${t.length}`);
  return null;
}, DEVICE);

registerBuiltin('vm.builtin.check_prim_value_info', (_ctx, [v, dtype, err]) => {
  if (typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean')
    fail(`${errCtx(err)}expected a ${asDtype(dtype ?? null) ?? 'prim'} value, but got ${kindOf(v ?? null)}`);
  return null;
}, DEVICE);

registerBuiltin('vm.builtin.check_func_info', (_ctx, [f, err]) => {
  if (!(f instanceof Closure) && typeof f !== 'function') fail(`${errCtx(err)}expected a function, but got ${kindOf(f ?? null)}`);
  return null;
}, DEVICE);

// ---------------------------------------------------------------- shapes

registerBuiltin('vm.builtin.alloc_shape_heap', (_ctx, [, size]) => new Tensor([asInt(size ?? 0, 'alloc_shape_heap')], 'int64'), DEVICE);

registerBuiltin('vm.builtin.match_shape', (_ctx, args) => {
  const [input, heap, n] = args;
  const err = args[args.length - 1];
  const pre = errCtx(err);
  const dims = input instanceof Tensor ? input.shape : input instanceof ShapeTuple ? input.dims : fail(`${pre}expected a tensor or shape, but got ${kindOf(input ?? null)}`);
  const ndim = asInt(n ?? 0, 'match_shape');
  if (dims.length !== ndim) fail(`${pre}expected ndim ${ndim}, but got ${dims.length}`);
  const h = heap instanceof Tensor ? heap.data : undefined;
  for (let i = 0; i < ndim; i++) {
    const code = asInt(args[3 + 2 * i]!, 'match_shape');
    const reg = asInt(args[4 + 2 * i]!, 'match_shape');
    const d = dims[i]!;
    if (code === MatchShapeCode.AssertEqualToImm && d !== reg) fail(`${pre}expected dimension ${i} to be ${reg}, but got ${d}`);
    else if (code === MatchShapeCode.StoreToHeap) h![reg] = d;
    else if (code === MatchShapeCode.AssertEqualToLoad && d !== h![reg]) fail(`${pre}expected dimension ${i} to be ${h![reg]}, but got ${d}`);
  }
  return null;
}, DEVICE);

registerBuiltin('vm.builtin.make_shape', (_ctx, args) => {
  const [heap, n] = args;
  const h = heap instanceof Tensor ? heap.data : undefined;
  const dims: number[] = [];
  for (let i = 0; i < asInt(n ?? 0, 'make_shape'); i++) {
    const code = asInt(args[2 + 2 * i]!, 'make_shape');
    const v = asInt(args[3 + 2 * i]!, 'make_shape');
    dims.push(code === MakeShapeCode.LoadShape ? h![v]! : v);
  }
  return new ShapeTuple(dims);
}, DEVICE);

registerBuiltin('vm.builtin.shape_of', (_ctx, [t]) => new ShapeTuple(asTensor(t ?? null, 'shape_of').shape), DEVICE);

registerBuiltin('vm.builtin.tensor_to_shape', (_ctx, [t]) => new ShapeTuple(Array.from(asTensor(t ?? null, 'tensor_to_shape').data)));

// ---------------------------------------------------------------- memory

registerBuiltin('vm.builtin.alloc_storage', (_ctx, [, size]) => {
  const bytes = size instanceof ShapeTuple ? size.dims.reduce((a, b) => a * b, 1) : asInt(size ?? 0, 'alloc_storage');
  return new Storage(bytes);
}, DEVICE);

registerBuiltin('vm.builtin.alloc_tensor', (_ctx, [storage, offset, shape, dtype]) => {
  const dims = asDims(shape ?? null, 'alloc_tensor');
  const dt = asDtype(dtype ?? null) ?? fail('alloc_tensor: expected a dtype');
  if (!(storage instanceof Storage)) return new Tensor(dims, dt);
  const C = storageFor(dt) ?? fail(`alloc_tensor: unsupported dtype ${dt}`);
  const off = asInt(offset ?? 0, 'alloc_tensor');
  const n = shapeSize(dims);
  const bytesPer = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (off % bytesPer !== 0 || off + n * bytesPer > storage.bytes)
    fail(`alloc_tensor: a ${dt}[${dims.join(', ')}] tensor at offset ${off} does not fit a storage of ${storage.bytes} bytes`);
  const data = new (C as unknown as new (b: ArrayBuffer, o: number, l: number) => TypedArray)(storage.buffer, off, n);
  return new Tensor(dims, dt, data);
});

registerBuiltin('vm.builtin.null_value', () => null, DEVICE);

registerBuiltin('vm.builtin.reshape', (_ctx, [t, shape]) => {
  const x = asTensor(t ?? null, 'reshape');
  const dims = asDims(shape ?? null, 'reshape');
  if (shapeSize(dims) !== x.size) fail(`reshape: cannot reshape ${x.describe()} to (${dims.join(', ')}): the element counts differ`);
  return x.view(dims);
}, DEVICE);

registerBuiltin('vm.builtin.copy', (_ctx, [v]) => v ?? null, DEVICE);

registerBuiltin('vm.builtin.ensure_zero_offset', (_ctx, [v]) => v ?? null, DEVICE);

registerBuiltin('vm.builtin.to_device', (_ctx, [v]) => v ?? null, DEVICE);

// ---------------------------------------------------------------- tuples and control

registerBuiltin('vm.builtin.make_tuple', (_ctx, args) => [...args], DEVICE);

registerBuiltin('vm.builtin.tuple_getitem', (_ctx, [t, i]) => {
  if (!Array.isArray(t)) fail(`tuple_getitem: expected a tuple, but got ${kindOf(t ?? null)}`);
  const k = asInt(i ?? 0, 'tuple_getitem');
  if (k < 0 || k >= t.length) fail(`tuple_getitem: index ${k} is out of range for a tuple of ${t.length}`);
  return t[k] as Value;
}, DEVICE);

registerBuiltin('vm.builtin.tuple_reset_item', (_ctx, [t, i]) => {
  if (Array.isArray(t)) (t as Value[])[asInt(i ?? 0, 'tuple_reset_item')] = null;
  return null;
}, DEVICE);

registerBuiltin('vm.builtin.read_if_cond', (_ctx, [c]) => {
  if (c instanceof Tensor) {
    if (c.size !== 1) fail(`read_if_cond: the condition must be a scalar tensor, but got ${c.describe()}`);
    return c.data[0] ? 1 : 0;
  }
  return asInt(c ?? 0, 'read_if_cond') ? 1 : 0;
});

// TVM's form is make_prim_value(heap, code, value) (code as MakeShapeCode); a single argument is passed through.
registerBuiltin('vm.builtin.make_prim_value', (_ctx, args) => {
  if (args.length < 3) return args[0] ?? null;
  const [heap, code, v] = args;
  const value = asInt(v ?? 0, 'make_prim_value');
  if (asInt(code ?? 0, 'make_prim_value') !== MakeShapeCode.LoadShape) return value;
  if (!(heap instanceof Tensor)) fail('make_prim_value: expected the shape heap');
  return heap.data[value]!;
}, DEVICE);

registerBuiltin('vm.builtin.match_prim_value', (_ctx, [input, heap, code, r, err]) => {
  const pre = errCtx(err);
  const v = asInt(input ?? null, 'match_prim_value');
  const c = asInt(code ?? 0, 'match_prim_value');
  const reg = asInt(r ?? 0, 'match_prim_value');
  const h = heap instanceof Tensor ? heap.data : undefined;
  if (c === MatchShapeCode.AssertEqualToImm && v !== reg) fail(`${pre}expected the value to be ${reg}, but got ${v}`);
  else if (c === MatchShapeCode.StoreToHeap) h![reg] = v;
  else if (c === MatchShapeCode.AssertEqualToLoad && v !== h![reg]) fail(`${pre}expected the value to be ${h![reg]}, but got ${v}`);
  return null;
}, DEVICE);

registerBuiltin('vm.builtin.make_closure', (_ctx, [f, ...captured]) => {
  if (f instanceof Closure) return new Closure(f.funcIndex, [...f.captured, ...captured]);
  return fail('make_closure: expected a function');
}, DEVICE);

registerBuiltin('vm.builtin.invoke_closure', (ctx, [f, ...args]) => ctx.callValue(f ?? null, args), DEVICE);

/** Values for `R.const` scalars and literals, used by the VM when a constant is a scalar number. */
export function scalarTensor(value: number, dtype: string): Tensor {
  const data = allocData(dtype, 1);
  data[0] = value;
  return new Tensor([], dtype, data);
}
