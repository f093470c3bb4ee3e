/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), read and written over bytes so it runs in Node and in the
 * browser. Little-endian data of the VM's dtypes; Fortran-ordered arrays are read by transposing. Every problem is
 * an `NpyError` that says what was expected and what was found.
 */
import { Tensor, allocData, shapeSize } from './tensor.js';

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** dtype <-> NumPy descr (little-endian; one-byte types use '|'). */
const DESCR: Record<string, string> = {
  float16: '<f2', float32: '<f4', float64: '<f8',
  int8: '|i1', uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', int64: '<i8', uint64: '<u8',
  bool: '|b1',
};
const FROM_DESCR: Record<string, string> = Object.fromEntries(
  Object.entries(DESCR).flatMap(([dt, d]) => [[d, dt], [`=${d.slice(1)}`, dt], [d.replace('|', '<'), dt]]),
);

const ITEMSIZE: Record<string, number> = {
  float16: 2, float32: 4, float64: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

interface Header {
  readonly dtype: string;
  readonly shape: number[];
  readonly fortran: boolean;
  readonly dataOffset: number;
}

/** Reads a `.npy` file. `what` names it in errors (a path or an input name). */
export function readNpy(bytes: Uint8Array, what = 'the .npy file'): Tensor {
  const h = readHeader(bytes, what);
  const n = shapeSize(h.shape);
  const need = n * ITEMSIZE[h.dtype]!;
  const have = bytes.length - h.dataOffset;
  if (have < need)
    throw new NpyError(`${what} is truncated: shape (${h.shape.join(', ')}) of ${h.dtype} needs ${need} bytes of data, but the file has ${have}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, need);
  const data = allocData(h.dtype, n);
  for (let i = 0; i < n; i++) data[i] = readElem(dv, i, h.dtype);
  const t = new Tensor(h.shape, h.dtype, data);
  return h.fortran ? fromFortran(t) : t;
}

/** Writes a tensor as a version 1.0 `.npy` file (64-byte aligned header, as NumPy does). */
export function writeNpy(t: Tensor): Uint8Array {
  const descr = DESCR[t.dtype];
  if (!descr) throw new NpyError(`cannot write dtype ${t.dtype} to .npy`);
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const size = ITEMSIZE[t.dtype]!;
  const out = new Uint8Array(MAGIC.length + 4 + header.length + t.size * size);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  const data = t.data;
  for (let i = 0; i < t.size; i++) writeElem(dv, i, t.dtype, data[i]!);
  return out;
}

function readHeader(bytes: Uint8Array, what: string): Header {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m))
    throw new NpyError(`${what} is not a NumPy .npy file (it does not start with \\x93NUMPY)`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new NpyError(`${what} has .npy format version ${major}.${bytes[7]}, but only 1.0, 2.0 and 3.0 are supported`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new NpyError(`${what} is truncated inside its header`);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  if (bytes.length < start + hlen) throw new NpyError(`${what} is truncated inside its header`);
  let text = '';
  for (let i = 0; i < hlen; i++) text += String.fromCharCode(bytes[start + i]!);
  return { ...parseHeaderDict(text, what), dataOffset: start + hlen };
}

function parseHeaderDict(text: string, what: string): Omit<Header, 'dataOffset'> {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new NpyError(`${what} has a malformed .npy header: ${JSON.stringify(text.trim())}`);
  if (descr.startsWith('>') && !descr.endsWith('1'))
    throw new NpyError(`${what} holds big-endian data (${descr}); only little-endian .npy files are supported`);
  const dtype = FROM_DESCR[descr];
  if (!dtype) throw new NpyError(`${what} holds dtype '${descr}', which Relax Studio cannot read (supported: ${Object.keys(DESCR).join(', ')})`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`${what} has a malformed shape (${shapeText})`);
  return { dtype, shape, fortran: fortran === 'True' };
}

function readElem(dv: DataView, i: number, dtype: string): number {
  switch (dtype) {
    case 'float16': return halfToFloat(dv.getUint16(i * 2, true));
    case 'float32': return dv.getFloat32(i * 4, true);
    case 'float64': return dv.getFloat64(i * 8, true);
    case 'int8': return dv.getInt8(i);
    case 'uint8': return dv.getUint8(i);
    case 'bool': return dv.getUint8(i) ? 1 : 0;
    case 'int16': return dv.getInt16(i * 2, true);
    case 'uint16': return dv.getUint16(i * 2, true);
    case 'int32': return dv.getInt32(i * 4, true);
    case 'uint32': return dv.getUint32(i * 4, true);
    case 'int64': return Number(dv.getBigInt64(i * 8, true));
    case 'uint64': return Number(dv.getBigUint64(i * 8, true));
    default: throw new NpyError(`cannot read dtype ${dtype}`);
  }
}

function writeElem(dv: DataView, i: number, dtype: string, v: number): void {
  switch (dtype) {
    case 'float16': return dv.setUint16(i * 2, floatToHalf(v), true);
    case 'float32': return dv.setFloat32(i * 4, v, true);
    case 'float64': return dv.setFloat64(i * 8, v, true);
    case 'int8': return dv.setInt8(i, v);
    case 'uint8': return dv.setUint8(i, v);
    case 'bool': return dv.setUint8(i, v ? 1 : 0);
    case 'int16': return dv.setInt16(i * 2, v, true);
    case 'uint16': return dv.setUint16(i * 2, v, true);
    case 'int32': return dv.setInt32(i * 4, v, true);
    case 'uint32': return dv.setUint32(i * 4, v, true);
    case 'int64': return dv.setBigInt64(i * 8, BigInt(Math.trunc(v)), true);
    case 'uint64': return dv.setBigUint64(i * 8, BigInt(Math.trunc(v)), true);
    default: throw new NpyError(`cannot write dtype ${dtype}`);
  }
}

/** Reorders a Fortran-ordered (column-major) array to row-major. */
function fromFortran(t: Tensor): Tensor {
  const shape = t.shape;
  if (shape.length < 2) return t;
  const out = allocData(t.dtype, t.size);
  const src = t.data;
  const idx = new Array<number>(shape.length).fill(0);
  for (let r = 0; r < t.size; r++) {
    let f = 0;
    let stride = 1;
    for (let k = 0; k < shape.length; k++) {
      f += idx[k]! * stride;
      stride *= shape[k]!;
    }
    out[r] = src[f]!;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return new Tensor(shape, t.dtype, out);
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function floatToHalf(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let e = Math.floor(Math.log2(a));
  let m = Math.round((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e++;
  }
  return sign | ((e + 15) << 10) | m;
}
