/**
 * A tiny ONNX model writer for the VM benchmark: a protobuf encoder for the handful of ONNX messages a straight-line
 * float32 graph needs (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), so the bench
 * can hand onnxruntime-node a model built in code, with no .onnx files in the repository and no protobuf package.
 *
 * Preconditions: every tensor is float32 with static dims; nodes use the default ONNX domain (opset 17 by default).
 * Node attributes are ints, int lists, floats or strings (enough for MatMul, Add, Relu, Conv and Gemm).
 * Left to others: validation. onnxruntime checks the model when it loads it and reports what is wrong.
 */

/** Field wire types of the protobuf encoding. */
const VARINT = 0;
const FIXED32 = 5;
const LEN = 2;

/** ONNX TensorProto.DataType.FLOAT. */
const FLOAT = 1;
/** ONNX AttributeProto.AttributeType values used here. */
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** Appends protobuf fields to a growing byte list. */
class Writer {
  private readonly bytes: number[] = [];

  private varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number): this {
    this.tag(field, VARINT);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, FIXED32);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.bytes.push(...b);
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.tag(field, LEN);
    this.varint(data.length);
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]!);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field: number, w: Writer): this {
    return this.bytesField(field, w.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A node attribute value: a number is an INT unless `float()` wraps it; arrays are INTS. */
export type OnnxAttr = number | readonly number[] | string | { readonly float: number };

/** One ONNX node in the default domain. */
export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, OnnxAttr>>;
}

/** A float32 graph input or output with static dims. */
export interface OnnxValue {
  readonly name: string;
  readonly dims: readonly number[];
}

/** A float32 constant baked into the model. */
export interface OnnxInitializer extends OnnxValue {
  readonly data: Float32Array;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
  readonly initializers?: readonly OnnxInitializer[];
  /** Default 17. */
  readonly opset?: number;
}

function attribute(name: string, v: OnnxAttr): Writer {
  const w = new Writer().string(1, name);
  if (typeof v === 'string') return w.bytesField(4, new TextEncoder().encode(v)).int(20, ATTR.STRING);
  if (typeof v === 'number') return w.int(3, v).int(20, ATTR.INT);
  if ('float' in v) return w.float(2, v.float).int(20, ATTR.FLOAT);
  for (const x of v) w.int(8, x);
  return w.int(20, ATTR.INTS);
}

function node(n: OnnxNode, index: number): Writer {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op.toLowerCase()}_${index}`).string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v));
  return w;
}

function valueInfo(v: OnnxValue): Writer {
  const shape = new Writer();
  for (const d of v.dims) shape.message(1, new Writer().int(1, d));
  const tensorType = new Writer().int(1, FLOAT).message(2, shape);
  return new Writer().string(1, v.name).message(2, new Writer().message(1, tensorType));
}

function initializer(t: OnnxInitializer): Writer {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return w.int(2, FLOAT).string(8, t.name).bytesField(9, raw);
}

/** Encodes `g` as a serialized ONNX ModelProto (IR version 8), ready for `InferenceSession.create(bytes)`. */
export function encodeOnnxModel(g: OnnxGraph): Uint8Array {
  const graph = new Writer();
  g.nodes.forEach((n, i) => graph.message(1, node(n, i)));
  graph.string(2, g.name);
  for (const t of g.initializers ?? []) graph.message(5, initializer(t));
  for (const v of g.inputs) graph.message(11, valueInfo(v));
  for (const v of g.outputs) graph.message(12, valueInfo(v));
  return new Writer()
    .int(1, 8)
    .string(2, 'relax-studio-bench')
    .message(7, graph)
    .message(8, new Writer().string(1, '').int(2, g.opset ?? 17))
    .finish();
}
