/**
 * Values the VM's registers hold: tensors, shape tuples, scalars, strings, tuples, storages, closures, null.
 */
import type { Tensor } from './tensor.js';

/** A shape value (`R.shape([2, 3])`, `vm.builtin.make_shape`): distinct from a tuple of numbers. */
export class ShapeTuple {
  constructor(readonly dims: readonly number[]) {}
  toString(): string {
    return `(${this.dims.join(', ')})`;
  }
}

/** A data type value (`R.dtype("float32")`, dtype arguments of builtins). */
export class DataTypeValue {
  constructor(readonly dtype: string) {}
  toString(): string {
    return this.dtype;
  }
}

/** A block of memory that `vm.builtin.alloc_tensor` carves tensors out of. */
export class Storage {
  readonly buffer: ArrayBuffer;
  constructor(readonly bytes: number) {
    this.buffer = new ArrayBuffer(Math.max(0, Math.ceil(bytes)));
  }
}

/** A Relax function value: a VM function index plus captured values (`vm.builtin.make_closure`). */
export class Closure {
  constructor(
    readonly funcIndex: number,
    readonly captured: readonly Value[],
  ) {}
}

/** A packed function a program can call: builtins, kernels, and the user's JavaScript functions. */
export type PackedFunc = (...args: Value[]) => Value | void | Promise<Value | void>;

export type Value =
  | Tensor
  | ShapeTuple
  | DataTypeValue
  | Storage
  | Closure
  | PackedFunc
  | number
  | bigint
  | boolean
  | string
  | null
  | readonly Value[];

/** The profiler's "Argument Shapes" form of a value, or undefined for non-tensors. */
export function describeValue(v: Value): string | undefined {
  if (v && typeof v === 'object' && 'describe' in v && typeof (v as Tensor).describe === 'function') return (v as Tensor).describe();
  return undefined;
}
