/**
 * Tensors as the VM and kernels see them: a shape, a dtype and a typed array over the values (row-major, compact).
 * Storage per dtype: float32/float16 -> Float32Array (float16 is computed and stored as float32), float64 ->
 * Float64Array, int8 -> Int8Array, uint8 -> Uint8Array, int16/uint16/int32/uint32 -> their arrays,
 * int64/uint64 -> Float64Array (exact for |v| <= 2^53; kernels index with them directly), bool -> Uint8Array.
 * A tensor may live on a device (issue 4): `data` then reads it back on first access (WebGPU: after `sync()`);
 * views share their values, host or device, with the tensor they view.
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
  /** Copies the values to host memory; throws where the device reads back only asynchronously (WebGPU). */
  read(): TypedArray;
  /**
   * Present where `read` cannot work synchronously (WebGPU): the asynchronous read-back that `Tensor.sync`
   * awaits. Calling it twice gives the same promise.
   */
  readAsync?(): Promise<TypedArray>;
}

/**
 * The values behind a tensor, shared by the tensor and its views (vm.builtin.reshape): a kernel that writes one
 * of them, or a read-back through one of them, is seen by all. At most one of `host` and `device` is current:
 * `device` when set, else `host`. @internal
 */
export class SharedValues {
  constructor(
    public host: TypedArray | undefined,
    public device: DeviceStorage | undefined,
  ) {}
}

export class Tensor {
  /** The values, shared with this tensor's views. @internal */
  readonly shared: SharedValues;

  /** `data` may be host values, or (for views) the values of another tensor of the same size. */
  constructor(
    readonly shape: readonly number[],
    readonly dtype: string,
    data?: TypedArray | SharedValues,
    deviceStorage?: DeviceStorage,
  ) {
    if (data instanceof SharedValues) this.shared = data;
    else this.shared = new SharedValues(data ?? (deviceStorage ? undefined : allocData(dtype, shapeSize(shape))), deviceStorage);
  }

  /** Set while the freshest values are on a device (shared with this tensor's views). */
  get deviceStorage(): DeviceStorage | undefined {
    return this.shared.device;
  }

  set deviceStorage(s: DeviceStorage | undefined) {
    this.shared.device = s;
  }

  /**
   * The values, row-major; reading it brings device data back to the host (on WebGPU only after `sync()`).
   * Writes are seen by the program.
   */
  get data(): TypedArray {
    const s = this.shared;
    if (s.device) {
      s.host = s.device.read();
      s.device = undefined;
    }
    return s.host!;
  }

  /**
   * Makes `data` readable: awaits the device's asynchronous read-back where it has one (WebGPU), and does
   * nothing for host tensors or devices that read back synchronously. The VM awaits it before handing a tensor to
   * anything that reads host values (builtins, packed functions, CPU kernels, the caller of `invoke`).
   */
  async sync(): Promise<void> {
    const s = this.shared;
    const d = s.device;
    if (!d?.readAsync) return;
    const host = await d.readAsync(); // the same promise for concurrent syncs of this tensor and its views
    if (s.device === d) {
      s.host = host;
      s.device = undefined;
    }
  }

  /** True when `data` would need `sync()` first. */
  get needsSync(): boolean {
    return this.shared.device?.readAsync !== undefined;
  }

  get size(): number {
    return shapeSize(this.shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /**
   * A tensor of another shape (same element count) over the same values (vm.builtin.reshape). Device values stay
   * on the device: every gpu.js kernel reads its inputs flat, so the new shape needs no copy.
   */
  view(shape: readonly number[]): Tensor {
    return new Tensor(shape, this.dtype, this.shared);
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
