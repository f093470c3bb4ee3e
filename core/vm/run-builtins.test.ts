/** The relax.run.* packed functions on their own: argument checks and NumPy semantics. */
import { describe, expect, it } from 'vitest';
import { lookupBuiltin } from './builtins.js';
import type { BuiltinContext } from './builtins.js';
import { AssertionFailure } from './run-builtins.js';
import { Tensor } from './tensor.js';
import { ShapeTuple } from './value.js';
import type { Value } from './value.js';

const printed: string[] = [];
const ctx: BuiltinContext = { callValue: () => null, print: (t) => printed.push(t) };
const call = (name: string, ...args: Value[]): Value => lookupBuiltin(name)!(ctx, args) as Value;
const plain = (v: Value): unknown => (v instanceof Tensor ? { dtype: v.dtype, shape: v.shape, data: Array.from(v.data) } : v);

describe('relax.run.*', () => {
  it('print formats and hands the line to the context', () => {
    call('relax.run.print', '{} and {}', new ShapeTuple([2]), 3);
    expect(printed.at(-1)).toBe('(2,) and 3');
    expect(() => call('relax.run.print', 5)).toThrow(/expects the format string first, but got number 5/);
  });

  it('assert_op passes a true condition and fails a false one with the formatted message', () => {
    expect(call('relax.run.assert_op', Tensor.from([], 'bool', [1]), 'never')).toBeNull();
    expect(() => call('relax.run.assert_op', Tensor.from([], 'bool', [0]), 'x={}', 4)).toThrow(AssertionFailure);
    expect(() => call('relax.run.assert_op', false, '')).toThrow(/^Assertion Failed$/);
    expect(() => call('relax.run.assert_op', Tensor.from([2], 'bool', [1, 1]), '')).toThrow(/scalar condition/);
  });

  it('unique (sorted or first-occurrence order), nonzero (ndim x count), shape_to_tensor', () => {
    const x = Tensor.from([2, 3], 'int32', [4, 0, 4, 2, 0, 1]);
    expect(plain(call('relax.run.unique', x, true))).toEqual({ dtype: 'int32', shape: [4], data: [0, 1, 2, 4] });
    expect(plain(call('relax.run.unique', x, false))).toEqual({ dtype: 'int32', shape: [4], data: [4, 0, 2, 1] });
    expect(() => call('relax.run.unique', x, true, false, false, false, 1)).toThrow(/axis=None/);
    expect(plain(call('relax.run.nonzero', x))).toEqual({ dtype: 'int64', shape: [2, 4], data: [0, 0, 1, 1, 0, 2, 0, 2] });
    expect(plain(call('relax.run.shape_to_tensor', new ShapeTuple([3, 5])))).toEqual({ dtype: 'int64', shape: [2], data: [3, 5] });
  });
});
