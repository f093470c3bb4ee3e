import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyStr, pyTripleQuoted } from './pyfloat.js';

describe('pyFloatRepr matches Python repr(float)', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.5, '0.5'],
    [-2.25, '-2.25'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [0.00012345, '0.00012345'],
    [1.5e-7, '1.5e-07'],
    [123456789.0, '123456789.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.2345e20, '1.2345e+20'],
    [3.4028234663852886e38, '3.4028234663852886e+38'],
    [-3.4028234663852886e38, '-3.4028234663852886e+38'],
    [0.1, '0.1'],
    [0.10000000149011612, '0.10000000149011612'],
    [1 / 3, '0.3333333333333333'],
    [5e-324, '5e-324'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('%s -> %s', (x, want) => {
    expect(pyFloatRepr(x)).toBe(want);
  });
});

describe('pyStr', () => {
  it('double-quotes and escapes', () => {
    expect(pyStr('main')).toBe('"main"');
    expect(pyStr('a"b\\c\n\t')).toBe('"a\\"b\\\\c\\n\\t"');
    expect(pyStr('\u0001')).toBe('"\\x01"');
  });
});

describe('pyTripleQuoted', () => {
  it('round-trips through the Python tokenizer', async () => {
    const { parsePython } = await import('../parser/py-parser.js');
    for (const s of ['{"a": 1}', 'x\\"y', 'a\\\\nb', 'q"""r', 'ends"', '']) {
      const lit = pyTripleQuoted(s);
      const { module } = parsePython(`m = ${lit}\n`, {});
      const st = module.body[0] as { value: { value: unknown } };
      expect(st.value.value).toBe(s);
    }
  });
});
