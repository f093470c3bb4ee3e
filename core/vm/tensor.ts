/**
 * Tensors as the VM and kernels see them: a shape, a dtype and a typed array over the values (row-major, compact).
 * Storage per dtype: float32/float16 -> Float32Array (float16 is computed and stored as float32), float64 ->
 * Float64Array, int8 -> Int8Array, uint8 -> Uint8Array, int16/uint16/int32/uint32 -> their arrays,
 * int64/uint64 -> Float64Array (exact for |v| <= 2^53; kernels index with them directly), bool -> Uint8Array.
 * A tensor may live on a device (issue 4): `data` then reads it back on first access.
 */
export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

type ArrayCtor = new (n: number) => TypedArray;

const STORAGE: Record<string, ArrayCtor> = {
  float32: Float32Array,
  float16: Float32Array,
  bfloat16: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: Float64Array,
  uint64: Float64Array,
  bool: Uint8Array,
};

/** The typed-array constructor that stores `dtype`, or undefined for dtypes tensors cannot hold. */
export function storageFor(dtype: string): ArrayCtor | undefined {
  return STORAGE[dtype];
}

export function allocData(dtype: string, size: number): TypedArray {
  const C = STORAGE[dtype];
  if (!C) throw new Error(`unsupported tensor dtype "${dtype}"`);
  return new C(size);
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Where a tensor's values live besides host memory (a GPU texture or buffer); see core/gpu. */
export interface DeviceStorage {
  readonly device: string;
  /** Copies the values to host memory. */
  read(): TypedArray;
}

export class Tensor {
  private hostData: TypedArray | undefined;
  /** Set while the freshest values are on a device. */
  deviceStorage: DeviceStorage | undefined;

  constructor(
    readonly shape: readonly number[],
    readonly dtype: string,
    data?: TypedArray,
    deviceStorage?: DeviceStorage,
  ) {
    this.hostData = data;
    this.deviceStorage = deviceStorage;
    if (!data && !deviceStorage) this.hostData = allocData(dtype, shapeSize(shape));
  }

  /** The values, row-major; reading it brings device data back to the host. Writes are seen by the program. */
  get data(): TypedArray {
    if (this.deviceStorage) {
      this.hostData = this.deviceStorage.read();
      this.deviceStorage = undefined;
    }
    return this.hostData!;
  }

  get size(): number {
    return shapeSize(this.shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** A tensor of another shape over the same values (vm.builtin.reshape). */
  view(shape: readonly number[]): Tensor {
    return new Tensor(shape, this.dtype, this.data);
  }

  static zeros(shape: readonly number[], dtype: string): Tensor {
    return new Tensor(shape, dtype);
  }

  static from(shape: readonly number[], dtype: string, values: ArrayLike<number>): Tensor {
    const data = allocData(dtype, shapeSize(shape));
    for (let i = 0; i < data.length; i++) data[i] = Number(values[i] ?? 0);
    return new Tensor(shape, dtype, data);
  }

  /** `float32[2, 3]`, the profiler's Argument Shapes form. */
  describe(): string {
    return `${this.dtype}[${this.shape.join(', ')}]`;
  }
}
