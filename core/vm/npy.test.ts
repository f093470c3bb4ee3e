import { describe, expect, it } from 'vitest';
import { NpyError, readNpy, writeNpy } from './npy.js';
import { Tensor } from './tensor.js';

function header(dict: string, major = 1): Uint8Array {
  const h = dict + ' '.repeat((64 - ((10 + dict.length + 1 + (major === 1 ? 0 : 2)) % 64)) % 64) + '\n';
  const lenBytes = major === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenBytes + h.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  for (let i = 0; i < h.length; i++) out[8 + lenBytes + i] = h.charCodeAt(i);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('npy', () => {
  it.each(['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'int32', 'int64', 'bool'])('round-trips %s', (dtype) => {
    const values = dtype === 'bool' ? [1, 0, 1, 1, 0, 0] : [0, 1, -2, 3, 100, -7].map((v) => (dtype.startsWith('u') ? Math.abs(v) : v));
    const t = Tensor.from([2, 3], dtype, values);
    const bytes = writeNpy(t);
    expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
    const back = readNpy(bytes);
    expect(back.shape).toEqual([2, 3]);
    expect(back.dtype).toBe(dtype);
    expect(Array.from(back.data)).toEqual(Array.from(t.data));
  });

  it('reads float16 exactly for representable values', () => {
    const t = Tensor.from([4], 'float16', [0.5, -2, 65504, 2 ** -14]);
    expect(Array.from(readNpy(writeNpy(t)).data)).toEqual([0.5, -2, 65504, 2 ** -14]);
  });

  it('reads version 2.0 headers and Fortran order', () => {
    const h = header("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", 2);
    const data = new Uint8Array(new Int32Array([1, 4, 2, 5, 3, 6]).buffer);
    const t = readNpy(concat(h, data));
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads scalars and 1-D shapes', () => {
    const s = readNpy(writeNpy(Tensor.from([], 'float32', [2.5])));
    expect(s.shape).toEqual([]);
    expect(s.data[0]).toBe(2.5);
    expect(readNpy(writeNpy(Tensor.from([3], 'int32', [1, 2, 3]))).shape).toEqual([3]);
  });

  it('says a truncated file is truncated and how much data it needed', () => {
    const bytes = writeNpy(Tensor.from([2, 3], 'float32', [1, 2, 3, 4, 5, 6]));
    expect(() => readNpy(bytes.slice(0, bytes.length - 4), 'x.npy')).toThrow(
      /x.npy is truncated: shape \(2, 3\) of float32 needs 24 bytes of data, but the file has 20/,
    );
  });

  it('rejects big-endian, unknown dtypes and non-npy files with NpyError', () => {
    expect(() => readNpy(header("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }"))).toThrow(/big-endian/);
    expect(() => readNpy(header("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"))).toThrow(/dtype '<c8'/);
    expect(() => readNpy(new Uint8Array([1, 2, 3]))).toThrow(NpyError);
  });
});
