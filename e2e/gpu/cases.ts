/**
 * What the GPU browser tests run: a compact table of one-op modules, one or more rows per shortlist op (symbolic
 * dims, small shapes: SwiftShader is slow), each at two bindings of its dims, and the example models of
 * assets/examples/ with the input scales and symbolic values of test/examples.test.ts. Every case runs on the
 * JS reference and on each device with the same seeded inputs (renderer/src/harness/run.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOptions } from '../../renderer/src/harness/run.js';
import { REPO } from '../harness.js';

/** float32 results: 1e-4 relative; transcendental ops: 1e-3. */
export const RTOL = { plain: 1e-4, transcendental: 1e-3 } as const;

/** One module and the bindings (and input settings) it runs with. */
export interface GpuCase {
  readonly name: string;
  /** The shortlist ops it covers ("relax.add"). */
  readonly ops: readonly string[];
  readonly text: string;
  /** One run per entry (symbolic dims, and inputs fixed for that run). */
  readonly runs: readonly Pick<RunOptions, 'sym' | 'inputs'>[];
  readonly opts: Pick<RunOptions, 'range' | 'scale' | 'seed'>;
  readonly rtol: number;
}

type Param = readonly [name: string, shape: readonly (number | string)[], dtype?: string];

interface OpRow {
  /** The call, e.g. `R.add(x, y)`; the op name is read from it. */
  readonly call: string;
  readonly params: readonly Param[];
  readonly sym?: readonly Record<string, number>[];
  readonly range?: RunOptions['range'];
  readonly trans?: boolean;
}

/** `def main(params): gv = call; return gv` with the symbolic dims declared. */
export function moduleText(call: string, params: readonly Param[]): string {
  const syms = [...new Set(params.flatMap(([, shape]) => shape.filter((d): d is string => typeof d === 'string')))];
  const ty = ([, shape, dtype]: Param): string =>
    `R.Tensor((${shape.map((d) => (typeof d === 'string' ? `"${d}"` : d)).join(', ')}${shape.length === 1 ? ',' : ''}), dtype="${dtype ?? 'float32'}")`;
  return [
    '@I.ir_module',
    'class Module:',
    '    @R.function',
    `    def main(${params.map((p) => `${p[0]}: ${ty(p)}`).join(', ')}):`,
    ...syms.map((s) => `        ${s} = T.int64()`),
    `        gv = ${call}`,
    '        return gv',
    '',
  ].join('\n');
}

const X: readonly Param[] = [['x', ['n', 3]]];
const XY: readonly Param[] = [['x', ['n', 3]], ['y', [3]]];
const pos = { x: [0.1, 4] as const };
const nonZeroY = { y: [0.5, 2] as const };
const NCHW: readonly Param[] = [['x', [1, 2, 'n', 6]]];
const pv = (vs: readonly (number | string)[]): string => `(${vs.map((v) => `R.prim_value(${v})`).join(', ')},)`;

const unary = (ops: readonly string[], extra: Partial<OpRow> = {}): OpRow[] => ops.map((op) => ({ call: `R.${op}(x)`, params: X, ...extra }));
const binary = (ops: readonly string[], extra: Partial<OpRow> = {}): OpRow[] => ops.map((op) => ({ call: `R.${op}(x, y)`, params: XY, ...extra }));

/** The shortlist op table (default bindings n = 2 and n = 5). */
const OPS: readonly OpRow[] = [
  ...unary(['cos', 'erf', 'exp', 'sigmoid', 'sin', 'tanh'], { trans: true }),
  ...unary(['log', 'rsqrt', 'sqrt'], { trans: true, range: pos }),
  ...unary(['abs', 'ceil', 'floor', 'negative', 'round', 'square']),
  { call: 'R.clip(x, -0.5, 0.25)', params: X },
  ...binary(['add', 'subtract', 'multiply', 'maximum', 'minimum', 'greater', 'greater_equal', 'less', 'less_equal']),
  ...binary(['divide', 'floor_divide', 'floor_mod'], { range: nonZeroY }),
  { call: 'R.power(x, y)', params: XY, range: { x: [0.1, 2], y: [-2, 2] }, trans: true },
  ...['equal', 'not_equal'].map((op) => ({ call: `R.${op}(x, y)`, params: [['x', ['n', 3], 'int32'], ['y', [3], 'int32']] as const })),
  { call: 'R.zeros(R.shape([n, 3]), dtype="float32")', params: X },
  { call: 'R.ones(R.shape([n, 3]), dtype="int32")', params: X },
  { call: 'R.full(R.shape([n, 2]), R.const(1.5, "float32"), dtype="float32")', params: X },
  { call: 'R.zeros_like(x)', params: X },
  { call: 'R.ones_like(x, dtype="int32")', params: X },
  { call: 'R.full_like(x, R.const(3.25, "float32"))', params: X },
  { call: 'R.arange(0, n, 2)', params: X },
  { call: 'R.tril(x, 0)', params: [['x', ['n', 4]]] },
  { call: 'R.triu(x, 1)', params: [['x', ['n', 4]]] },
  { call: 'R.astype(x, "int32")', params: X, range: { x: [-8, 8] } },
  { call: 'R.matmul(a, b)', params: [['a', ['n', 4]], ['b', [4, 3]]] },
  { call: 'R.linear(x, w, b)', params: [['x', ['n', 4]], ['w', [3, 4]], ['b', [3]]] },
  { call: 'R.einsum((a, b), "ij,jk->ik")', params: [['a', ['n', 4]], ['b', [4, 3]]] },
  { call: 'R.nn.conv1d(x, w, padding=1)', params: [['x', [1, 2, 'n']], ['w', [3, 2, 3]]] },
  { call: 'R.nn.conv2d(x, w, padding=1)', params: [['x', [1, 2, 'n', 5]], ['w', [4, 2, 3, 3]]] },
  { call: 'R.nn.conv2d_transpose(x, w)', params: [['x', [1, 2, 'n', 3]], ['w', [2, 3, 3, 3]]] },
  { call: 'R.nn.max_pool2d(x, pool_size=(2, 2), strides=(2, 2))', params: NCHW, sym: [{ n: 4 }, { n: 6 }] },
  { call: 'R.nn.avg_pool2d(x, pool_size=(3, 3), strides=(2, 2), padding=(1, 1, 1, 1))', params: NCHW, sym: [{ n: 4 }, { n: 5 }] },
  { call: 'R.nn.adaptive_avg_pool2d(x, output_size=(3, 2))', params: [['x', [1, 2, 'n', 5]]], sym: [{ n: 3 }, { n: 7 }] },
  ...['relu', 'gelu', 'gelu_tanh', 'silu', 'softmax', 'log_softmax'].map((op) => ({ call: `R.nn.${op}(x)`, params: X, trans: op !== 'relu' })),
  { call: 'R.nn.leakyrelu(x, alpha=0.2)', params: X },
  {
    call: 'R.nn.batch_norm(x, g, b, m, v, axis=1, training=False)',
    params: [['x', ['n', 3, 2, 2]], ['g', [3]], ['b', [3]], ['m', [3]], ['v', [3]]], range: { v: [0.5, 2] }, trans: true,
  },
  { call: 'R.nn.layer_norm(x, g, b, axes=[-1])', params: [['x', ['n', 4]], ['g', [4]], ['b', [4]]], trans: true },
  { call: 'R.nn.group_norm(x, g, b, num_groups=2, channel_axis=1, axes=[2, 3])', params: [['x', ['n', 4, 2, 2]], ['g', [4]], ['b', [4]]], trans: true },
  { call: 'R.nn.rms_norm(x, w, axes=[-1])', params: [['x', ['n', 4]], ['w', [4]]], trans: true },
  { call: 'R.nn.dropout(x, rate=0.3)', params: X },
  { call: 'R.nn.pad(x, pad_width=[0, 1, 2, 0], pad_value=1.5)', params: X },
  {
    call: 'R.nn.attention(q, k, v)', params: [['q', [1, 'n', 2, 4]], ['k', [1, 'm', 2, 4]], ['v', [1, 'm', 2, 4]]],
    sym: [{ n: 3, m: 4 }, { n: 5, m: 2 }], trans: true,
  },
  { call: 'R.reshape(x, R.shape([n * 2, 2]))', params: [['x', ['n', 4]]] },
  { call: 'R.permute_dims(x, axes=[1, 2, 0])', params: [['x', ['n', 3, 2]]] },
  { call: 'R.expand_dims(x, axis=[0, -1])', params: X },
  { call: 'R.squeeze(x, axis=[1])', params: [['x', ['n', 1, 3]]] },
  { call: 'R.flatten(x)', params: X },
  { call: 'R.concat((a, b), axis=0)', params: [['a', ['n', 3]], ['b', ['m', 3]]], sym: [{ n: 2, m: 3 }, { n: 5, m: 1 }] },
  { call: 'R.split(x, indices_or_sections=3, axis=1)', params: [['x', ['n', 7]]] },
  { call: 'R.stack((a, b), axis=0)', params: [['a', ['n', 3]], ['b', ['n', 3]]] },
  { call: 'R.broadcast_to(x, R.shape([n, 4]))', params: [['x', ['n', 1]]] },
  { call: 'R.tile(x, repeats=[2, 3])', params: [['x', ['n', 2]]] },
  { call: 'R.repeat(x, repeats=2, axis=1)', params: [['x', ['n', 2]]] },
  { call: 'R.gather_elements(x, i, axis=1)', params: [['x', ['n', 3]], ['i', ['n', 3], 'int64']], range: { i: [0, 3] } },
  { call: 'R.take(x, i, axis=0)', params: [['x', ['n', 4]], ['i', [3], 'int64']], range: { i: [0, 2] } },
  { call: `R.strided_slice(x, ${pv([1])}, ${pv([1])}, ${pv(['n'])})`, params: [['x', [3, 'n']]], sym: [{ n: 3 }, { n: 6 }] },
  ...['sum', 'mean', 'max', 'min', 'variance'].map((op) => ({ call: `R.${op}(x, axis=[1])`, params: [['x', ['n', 5]]] as const })),
  { call: 'R.prod(x, axis=[1])', params: [['x', ['n', 5]]], range: { x: [0.7, 1.3] } },
  { call: 'R.std(x, axis=[1])', params: [['x', ['n', 5]]], trans: true },
  { call: 'R.where(c, x, y)', params: [['c', ['n', 3], 'bool'], ['x', ['n', 3]], ['y', [3]]] },
  ...['argmax', 'argmin'].map((op) => ({ call: `R.${op}(x, axis=1)`, params: [['x', ['n', 5]]] as const })),
  { call: 'R.image.resize2d(x, R.shape([5, 7]))', params: [['x', [1, 2, 'n', 4]]] },
];

/** `relax.nn.conv2d` from `R.nn.conv2d(x, w, ...)`. */
function opName(call: string): string {
  return `relax.${/^R\.([\w.]+)\(/.exec(call)![1]!}`;
}

/** The op table as cases. */
export function opCases(): GpuCase[] {
  return OPS.map((r) => {
    const op = opName(r.call);
    return {
      name: op.slice('relax.'.length),
      ops: [op],
      text: moduleText(r.call, r.params),
      runs: (r.sym ?? [{ n: 2 }, { n: 5 }]).map((sym) => ({ sym })),
      opts: { seed: 7, ...(r.range ? { range: r.range } : {}) },
      rtol: r.trans ? RTOL.transcendental : RTOL.plain,
    };
  });
}

/** Per example file: runs (symbolic dims, fixed inputs), scales, tolerance (as in test/examples.test.ts). */
const EXAMPLES: Record<string, Omit<GpuCase, 'name' | 'ops' | 'text'>> = {
  'mlp.tvmscript': {
    runs: [{ sym: { n: 2 } }, { sym: { n: 3 } }],
    opts: { seed: 42, scale: { w1: 1 / Math.sqrt(784), w2: 1 / Math.sqrt(128), b1: 0.1, b2: 0.1 } },
    rtol: RTOL.plain,
  },
  'cnn.tvmscript': { runs: [{}], opts: { seed: 42, scale: { w1: 1 / Math.sqrt(27), w2: 1 / Math.sqrt(72), wf: 0.25, b1: 0.1, bf: 0.1 } }, rtol: RTOL.plain },
  'transformer.tvmscript': {
    runs: [{}],
    opts: { seed: 42, scale: { wq: 0.25, wk: 0.25, wv: 0.25, wo: 0.25, w1: 0.25, w2: 1 / Math.sqrt(32), b1: 0.1, b2: 0.1, ln1_b: 0.1, ln2_b: 0.1 } },
    rtol: RTOL.transcendental,
  },
  'call_tir.tvmscript': { runs: [{ sym: { n: 5 } }, { sym: { n: 2 } }], opts: { seed: 42 }, rtol: RTOL.plain },
  'control.tvmscript': {
    runs: [
      { sym: { n: 4, m: 4 }, inputs: { flag: { shape: [], dtype: 'bool', data: [1] } } },
      { sym: { n: 2, m: 2 }, inputs: { flag: { shape: [], dtype: 'bool', data: [0] } } },
    ],
    opts: { seed: 42 },
    rtol: RTOL.plain,
  },
};

/** Every example model of assets/examples/ (a file without settings runs once with seeded inputs). */
export function exampleCases(): GpuCase[] {
  const dir = join(REPO, 'assets/examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tvmscript'))
    .sort()
    .map((f) => ({ name: f, ops: [], text: readFileSync(join(dir, f), 'utf8'), ...(EXAMPLES[f] ?? { runs: [{}], opts: { seed: 42 }, rtol: RTOL.transcendental }) }));
}
