/** Text of run-time values for R.print / R.assert_op: NumPy-style arrays and Python's str.format subset. */
import { describe, expect, it } from 'vitest';
import { pyFormat, tensorText, valueText } from './format.js';
import { Tensor } from './tensor.js';
import { ShapeTuple } from './value.js';

describe('tensorText (NumPy str)', () => {
  it('aligns floats on the point and trims digits', () => {
    expect(tensorText(Tensor.from([2, 2], 'float32', [1, 2, 3, 4]))).toBe('[[1. 2.]\n [3. 4.]]');
    expect(tensorText(Tensor.from([3], 'float32', [1.5, 2, -0.25]))).toBe('[ 1.5   2.   -0.25]');
    expect(tensorText(Tensor.from([1], 'float32', [0.1]))).toBe('[0.1]');
    expect(tensorText(Tensor.from([2], 'float64', [1 / 3, 1]))).toBe('[0.33333333 1.        ]');
  });

  it('prints 0-d tensors as scalars, ints and bools as Python does', () => {
    expect(tensorText(Tensor.from([], 'float32', [2]))).toBe('2.0');
    expect(tensorText(Tensor.from([], 'float32', [0.1]))).toBe('0.1');
    expect(tensorText(Tensor.from([3], 'int64', [1, -20, 3]))).toBe('[  1 -20   3]');
    expect(tensorText(Tensor.from([2], 'bool', [1, 0]))).toBe('[ True False]');
    expect(tensorText(Tensor.from([0], 'float32', []))).toBe('[]');
  });

  it('uses scientific notation for wide ranges and summarizes big arrays', () => {
    expect(tensorText(Tensor.from([2], 'float32', [1e-5, 1]))).toBe('[1.e-05 1.e+00]');
    const big = tensorText(Tensor.from([2000], 'int32', Array.from({ length: 2000 }, (_, i) => i)));
    expect(big).toBe('[   0    1    2 ... 1997 1998 1999]');
    const rows = tensorText(Tensor.from([3, 3, 2], 'int32', Array.from({ length: 18 }, (_, i) => i)));
    expect(rows.split('\n\n')).toHaveLength(3);
  });
});

describe('pyFormat', () => {
  it('fills {} and {N}, keeps escaped braces, applies .Nf to scalars', () => {
    const x = Tensor.from([], 'float32', [0.5]);
    expect(pyFormat('x = {}, {{literal}}', [x])).toBe('x = 0.5, {literal}');
    expect(pyFormat('{1} before {0}', ['a', 'b'])).toBe('b before a');
    expect(pyFormat('{:.3f}', [Tensor.from([], 'float32', [2])])).toBe('2.000');
  });

  it('joins values with spaces when the format is empty', () => {
    expect(pyFormat('', [new ShapeTuple([2, 3]), 4, [1, 'x']])).toBe('(2, 3) 4 [1, x]');
    expect(valueText(new ShapeTuple([5]))).toBe('(5,)');
  });

  it('rejects malformed formats and missing values', () => {
    expect(() => pyFormat('{} {}', [1])).toThrow(/refers to value 1, but 1 value\(s\) were given/);
    expect(() => pyFormat('{x}', [1])).toThrow(/only \{\} and \{N\}/);
    expect(() => pyFormat('a } b', [])).toThrow(/single '}'/);
  });
});
