/**
 * The VM benchmark's cases: for each, a generated TVMScript module (what `build()` compiles and our VM runs), the
 * named float32 inputs made from a seeded generator, the same computation in tfjs (best-practice calls: fused
 * matMul/conv2d with bias and relu) and as an ONNX graph for onnxruntime-node.
 *
 * Preconditions: all shapes are static float32. Every engine gets the same input values; layouts differ only
 * where the peer requires it (tfjs conv2d is NHWC/HWIO: the transposes happen outside the timed region).
 * Left to the runners (engines.ts): timing, output read-back and comparison.
 */
import type { OnnxGraph } from './onnx-model.js';

/** One named input with its values (row-major, the Relax parameter's layout). */
export interface BenchInput {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
  /** Weights become ONNX initializers (constants ORT may pre-pack); activations stay graph inputs. */
  readonly weight: boolean;
}

/** What tfjs needs: it is written against a small interface so this file stays free of tfjs types. */
export interface TfjsCaseSpec {
  /** `conv` cases want NHWC input and HWIO filter; the output comes back NHWC and is transposed for comparison. */
  readonly layout: 'rowmajor' | 'conv-nhwc';
  readonly layers: readonly { kind: 'matmul' | 'conv'; w: string; b?: string; relu: boolean }[];
}

export interface BenchCase {
  /** Short id used by BENCH_VM_CASES. */
  readonly id: string;
  /** Human description for the table. */
  readonly label: string;
  /** Multiply-adds x 2, for a GFLOP/s note. */
  readonly flops: number;
  readonly tvmscript: string;
  /** Relax `main` parameters, in order (the first is the activation). */
  readonly inputs: readonly BenchInput[];
  readonly outputDims: readonly number[];
  readonly onnx: OnnxGraph;
  readonly tfjs: TfjsCaseSpec;
}

/** mulberry32: a small seeded generator, so every engine and every run gets the same numbers. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-scale, scale). */
function uniform(rand: () => number, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 2 - 1) * scale;
  return out;
}

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function input(rand: () => number, name: string, dims: readonly number[], fanIn: number, weight: boolean): BenchInput {
  return { name, dims, data: uniform(rand, size(dims), 1 / Math.sqrt(fanIn)), weight };
}

/** `R.Tensor((512,), dtype="float32")`: a one-dim shape keeps Python's trailing comma. */
const ty = (dims: readonly number[]): string => `R.Tensor((${dims.join(', ')}${dims.length === 1 ? ',' : ''}), dtype="float32")`;

/** A Relax module with one `main` whose body is `lines` inside a dataflow block returning `gv`. */
function relaxModule(params: readonly BenchInput[], out: readonly number[], lines: readonly string[]): string {
  const sig = params.map((p) => `${p.name}: ${ty(p.dims)}`).join(', ');
  return [
    '# from tvm.script import ir as I',
    '# from tvm.script import relax as R',
    '',
    '@I.ir_module',
    'class Module:',
    '    @R.function',
    `    def main(${sig}) -> ${ty(out)}:`,
    '        R.func_attr({"num_input": 1})',
    '        with R.dataflow():',
    ...lines.map((l) => `            ${l}`),
    '            R.output(gv)',
    '        return gv',
    '',
  ].join('\n');
}

/** batch x 784-512-512-10: (matmul + bias + relu) x 2, matmul + bias. */
function mlpCase(seed: number): BenchCase {
  const rand = seededRandom(seed);
  const B = 64;
  const dims = [784, 512, 512, 10];
  const x = input(rand, 'x', [B, dims[0]!], 1, false);
  const params: BenchInput[] = [x];
  const lines: string[] = [];
  const nodes: OnnxGraph['nodes'][number][] = [];
  const layers: TfjsCaseSpec['layers'][number][] = [];
  let prev = 'x';
  let flops = 0;
  for (let l = 0; l < 3; l++) {
    const [k, n] = [dims[l]!, dims[l + 1]!];
    const w = input(rand, `w${l + 1}`, [k, n], k, true);
    const b = input(rand, `b${l + 1}`, [n], k, true);
    params.push(w, b);
    const relu = l < 2;
    const out = l === 2 ? 'gv' : `lv${l}_r`;
    lines.push(`lv${l}_mm = R.matmul(${prev}, ${w.name}, out_dtype="void")`);
    lines.push(`${relu ? `lv${l}_b` : out} = R.add(lv${l}_mm, ${b.name})`);
    if (relu) lines.push(`${out} = R.nn.relu(lv${l}_b)`);
    const onnxOut = l === 2 ? 'y' : `h${l}`;
    nodes.push({ op: 'Gemm', inputs: [prev === 'x' ? 'x' : `h${l - 1}`, w.name, b.name], outputs: [relu ? `g${l}` : onnxOut] });
    if (relu) nodes.push({ op: 'Relu', inputs: [`g${l}`], outputs: [onnxOut] });
    layers.push({ kind: 'matmul', w: w.name, b: b.name, relu });
    prev = out;
    flops += 2 * B * k * n;
  }
  const outDims = [B, dims[3]!];
  return {
    id: 'mlp',
    label: 'mlp 64x784-512-512-10',
    flops,
    tvmscript: relaxModule(params, outDims, lines),
    inputs: params,
    outputDims: outDims,
    onnx: onnxGraph('mlp', params, nodes, outDims),
    tfjs: { layout: 'rowmajor', layers },
  };
}

/** 1x64x56x56, 64 filters 3x3, stride 1, pad 1, + bias, relu (NCHW / OIHW). */
function conv2dCase(seed: number): BenchCase {
  const rand = seededRandom(seed);
  const [N, C, H, W, O, K] = [1, 64, 56, 56, 64, 3];
  const x = input(rand, 'x', [N, C, H, W], 1, false);
  const w = input(rand, 'w', [O, C, K, K], C * K * K, true);
  const b = input(rand, 'b', [1, O, 1, 1], C * K * K, true);
  const params = [x, w, b];
  const outDims = [N, O, H, W];
  const lines = [
    'lv0 = R.nn.conv2d(x, w, strides=[1, 1], padding=[1, 1, 1, 1], dilation=[1, 1], groups=1, data_layout="NCHW", kernel_layout="OIHW", out_layout="NCHW", out_dtype="float32")',
    'lv1 = R.add(lv0, b)',
    'gv = R.nn.relu(lv1)',
  ];
  const onnxB = { ...b, name: 'b', dims: [O] };
  const nodes = [
    { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: [K, K], pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], group: 1 } },
    { op: 'Relu', inputs: ['c'], outputs: ['y'] },
  ];
  return {
    id: 'conv2d',
    label: 'conv2d 1x64x56x56 k3x3x64 p1 +bias relu',
    flops: 2 * N * O * H * W * C * K * K,
    tvmscript: relaxModule(params, outDims, lines),
    inputs: params,
    outputDims: outDims,
    onnx: onnxGraph('conv2d', [x, w, onnxB], nodes, outDims),
    tfjs: { layout: 'conv-nhwc', layers: [{ kind: 'conv', w: 'w', b: 'b', relu: true }] },
  };
}

/** n x n x n matmul, both operands inputs of the function (B is an ONNX initializer, like a weight). */
function matmulCase(seed: number, n: number): BenchCase {
  const rand = seededRandom(seed);
  const a = input(rand, 'a', [n, n], 1, false);
  const b = input(rand, 'b', [n, n], n, true);
  const outDims = [n, n];
  return {
    id: `matmul${n}`,
    label: `matmul ${n}x${n}x${n}`,
    flops: 2 * n * n * n,
    tvmscript: relaxModule([a, b], outDims, ['gv = R.matmul(a, b, out_dtype="void")']),
    inputs: [a, b],
    outputDims: outDims,
    onnx: onnxGraph(`matmul${n}`, [a, b], [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }], outDims),
    tfjs: { layout: 'rowmajor', layers: [{ kind: 'matmul', w: 'b', relu: false }] },
  };
}

function onnxGraph(name: string, params: readonly BenchInput[], nodes: OnnxGraph['nodes'], out: readonly number[]): OnnxGraph {
  return {
    name,
    nodes,
    inputs: params.filter((p) => !p.weight).map((p) => ({ name: p.name, dims: p.dims })),
    initializers: params.filter((p) => p.weight).map((p) => ({ name: p.name, dims: p.dims, data: p.data })),
    outputs: [{ name: 'y', dims: out }],
  };
}

/** Every case id, in table order. */
export const CASE_IDS = ['mlp', 'conv2d', 'matmul256', 'matmul1024'] as const;

/** Builds the case named `id` (inputs from `seed`); throws on an unknown id, listing the known ones. */
export function makeCase(id: string, seed: number): BenchCase {
  switch (id) {
    case 'mlp':
      return mlpCase(seed);
    case 'conv2d':
      return conv2dCase(seed);
    case 'matmul256':
      return matmulCase(seed, 256);
    case 'matmul1024':
      return matmulCase(seed, 1024);
    default: {
      const m = /^matmul(\d+)$/.exec(id);
      if (m) return matmulCase(seed, Number(m[1]));
      throw new Error(`unknown bench case "${id}": expected one of ${CASE_IDS.join(', ')} (or matmulN)`);
    }
  }
}
