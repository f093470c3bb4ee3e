/**
 * Every shortlist op through build (fusion on) + VirtualMachine on gpu.js (cpu and webasm modes) against the
 * JavaScript reference, at two bindings of the symbolic dims. A kernel either runs on gpu.js or says why not.
 */
import { describe, expect, it } from 'vitest';
import { build } from '../compiler/build.js';
import { allOps } from '../ir/op/registry.js';
import '../ir/op/all.js';
import { GpuJsKernelBackend } from './backend.js';
import type { GpuMode } from './backend.js';
import { diffOutputs, inputsFor, parseModule, runBoth } from './testing.js';

interface Param {
  readonly name: string;
  readonly shape: readonly (number | string)[];
  readonly dtype?: string;
}
interface Case {
  readonly op: string;
  readonly call: string;
  readonly params: readonly Param[];
  /** Transcendental: 1e-3 relative instead of 1e-4. */
  readonly t?: boolean;
}

const x = (...shape: (number | string)[]): Param => ({ name: 'x', shape });
const p = (name: string, ...shape: (number | string)[]): Param => ({ name, shape });
const pi = (name: string, dtype: string, ...shape: (number | string)[]): Param => ({ name, shape, dtype });
const X = [x('n', 4)];
const un = (op: string, t = false): Case => ({ op, call: `R.${op}(x)`, params: X, t });
const bin = (op: string): Case => ({ op, call: `R.${op}(x, y)`, params: [x('n', 4), p('y', 4)] });
const pv = (vs: number[]): string => `(${vs.map((v) => `R.prim_value(${v})`).join(', ')},)`;

const CASES: Case[] = [
  ...['cos', 'erf', 'exp', 'sigmoid', 'sin', 'tanh'].map((o) => un(o, true)),
  { op: 'log', call: 'R.log(R.abs(x))', params: X, t: true },
  { op: 'rsqrt', call: 'R.rsqrt(R.abs(x))', params: X, t: true },
  { op: 'sqrt', call: 'R.sqrt(R.abs(x))', params: X, t: true },
  ...['abs', 'ceil', 'floor', 'negative', 'round', 'square'].map((o) => un(o)),
  { op: 'clip', call: 'R.clip(x, -0.5, 0.25)', params: X },
  ...['add', 'subtract', 'multiply', 'divide', 'floor_divide', 'floor_mod', 'maximum', 'minimum'].map(bin),
  ...['equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal'].map(bin),
  { op: 'power', call: 'R.power(R.abs(x), y)', params: [x('n', 4), p('y', 4)], t: true },
  { op: 'zeros', call: 'R.zeros(R.shape([n, 3]), dtype="float32")', params: X },
  { op: 'ones', call: 'R.ones(R.shape([n, 3]), dtype="float32")', params: X },
  { op: 'full', call: 'R.full(R.shape([2, n]), R.const(1.5, "float32"), dtype="float32")', params: X },
  { op: 'zeros_like', call: 'R.zeros_like(x)', params: X },
  { op: 'ones_like', call: 'R.ones_like(x)', params: X },
  { op: 'full_like', call: 'R.full_like(x, R.const(3.25, "float32"))', params: X },
  { op: 'arange', call: 'R.arange(0, n, 1, dtype="float32")', params: X },
  { op: 'tril', call: 'R.tril(x, 1)', params: [x(3, 'n', 5)] },
  { op: 'triu', call: 'R.triu(x)', params: [x(3, 'n', 5)] },
  { op: 'astype', call: 'R.astype(R.astype(x, "int32"), "float32")', params: X },
  { op: 'matmul', call: 'R.matmul(a, b)', params: [p('a', 'n', 6), p('b', 6, 5)] },
  { op: 'linear', call: 'R.linear(x, w, b)', params: [x('n', 6), p('w', 5, 6), p('b', 5)] },
  { op: 'einsum', call: 'R.einsum((a, b), "...ij,...jk->...ik")', params: [p('a', 2, 'n', 3), p('b', 2, 3, 4)] },
  { op: 'nn.conv1d', call: 'R.nn.conv1d(x, w, strides=2, padding=(2, 1), dilation=2)', params: [x(1, 2, 'n'), p('w', 3, 2, 3)] },
  { op: 'nn.conv2d', call: 'R.nn.conv2d(x, w, padding=1)', params: [x(1, 3, 'n', 6), p('w', 4, 3, 3, 3)] },
  { op: 'nn.conv2d_transpose', call: 'R.nn.conv2d_transpose(x, w)', params: [x(1, 2, 'n', 4), p('w', 2, 3, 3, 3)] },
  { op: 'nn.max_pool2d', call: 'R.nn.max_pool2d(x, pool_size=(3, 2), strides=(1, 2), padding=(1, 1, 1, 0), dilation=(2, 1))', params: [x(1, 2, 'n', 6)] },
  { op: 'nn.avg_pool2d', call: 'R.nn.avg_pool2d(x, pool_size=(3, 3), strides=(2, 2), padding=(1, 1, 1, 1), ceil_mode=True)', params: [x(1, 2, 'n', 7)] },
  { op: 'nn.adaptive_avg_pool2d', call: 'R.nn.adaptive_avg_pool2d(x, output_size=(3, 2))', params: [x(1, 2, 'n', 5)] },
  { op: 'nn.relu', call: 'R.nn.relu(x)', params: X },
  { op: 'nn.leakyrelu', call: 'R.nn.leakyrelu(x, alpha=0.2)', params: X },
  { op: 'nn.gelu', call: 'R.nn.gelu(x)', params: X, t: true },
  { op: 'nn.gelu_tanh', call: 'R.nn.gelu_tanh(x)', params: X, t: true },
  { op: 'nn.silu', call: 'R.nn.silu(x)', params: X, t: true },
  { op: 'nn.softmax', call: 'R.nn.softmax(x, axis=1)', params: X, t: true },
  { op: 'nn.log_softmax', call: 'R.nn.log_softmax(x, axis=0)', params: X, t: true },
  { op: 'nn.batch_norm', call: 'R.nn.batch_norm(x, g, b, m, R.abs(v), axis=1, training=False)', params: [x('n', 3, 2), p('g', 3), p('b', 3), p('m', 3), p('v', 3)], t: true },
  { op: 'nn.layer_norm', call: 'R.nn.layer_norm(x, g, b, axes=[-1])', params: [x('n', 6), p('g', 6), p('b', 6)], t: true },
  { op: 'nn.group_norm', call: 'R.nn.group_norm(x, g, b, num_groups=2, channel_axis=1, axes=[2, 3])', params: [x(2, 4, 'n', 3), p('g', 4), p('b', 4)], t: true },
  { op: 'nn.rms_norm', call: 'R.nn.rms_norm(x, w, axes=[-1])', params: [x('n', 6), p('w', 6)], t: true },
  { op: 'nn.dropout', call: 'R.nn.dropout(x, rate=0.3)', params: X },
  { op: 'nn.pad', call: 'R.nn.pad(x, pad_width=[1, 1, 2, 1], pad_mode="reflect")', params: [x('n', 5)] },
  { op: 'nn.attention', call: 'R.nn.attention(q, k, v, causal_mask="TopLeft")', params: [p('q', 1, 'n', 2, 4), p('k', 1, 'n', 2, 4), p('v', 1, 'n', 2, 4)], t: true },
  { op: 'reshape', call: 'R.reshape(x, R.shape([n * 2, 2]))', params: X },
  { op: 'permute_dims', call: 'R.permute_dims(x, axes=[1, 2, 0])', params: [x(2, 'n', 3)] },
  { op: 'expand_dims', call: 'R.expand_dims(x, axis=[0, -1])', params: X },
  { op: 'squeeze', call: 'R.squeeze(x, axis=[1])', params: [x('n', 1, 3)] },
  { op: 'flatten', call: 'R.flatten(x)', params: [x('n', 2, 3)] },
  { op: 'concat', call: 'R.concat((a, b), axis=0)', params: [p('a', 'n', 3), p('b', 2, 3)] },
  { op: 'split', call: 'R.split(x, indices_or_sections=[1, 3], axis=1)', params: [x('n', 5)] },
  { op: 'stack', call: 'R.stack((a, b), axis=1)', params: [p('a', 'n', 3), p('b', 'n', 3)] },
  { op: 'broadcast_to', call: 'R.broadcast_to(x, R.shape([2, n, 4]))', params: [x('n', 1)] },
  { op: 'tile', call: 'R.tile(x, repeats=[2, 1, 3])', params: [x('n', 2)] },
  { op: 'repeat', call: 'R.repeat(x, repeats=2, axis=1)', params: X },
  { op: 'gather_elements', call: 'R.gather_elements(x, i, axis=0)', params: [x(12, 'n'), pi('i', 'int64', 4, 'n')] },
  { op: 'take', call: 'R.take(x, i, axis=0)', params: [x(12, 'n'), pi('i', 'int64', 'n')] },
  { op: 'strided_slice', call: `R.strided_slice(x, ${pv([1])}, ${pv([1])}, ${pv([6])}, ${pv([2])})`, params: [x('n', 8)] },
  ...['sum', 'mean', 'max', 'min', 'prod', 'variance', 'std'].map((o): Case => ({ op: o, call: `R.${o}(x, axis=[1])`, params: [x('n', 5, 3)], t: o === 'std' })),
  { op: 'where', call: 'R.where(R.greater(x, y), x, y)', params: [x('n', 4), p('y', 4)] },
  { op: 'argmax', call: 'R.argmax(x, axis=1)', params: X },
  { op: 'argmin', call: 'R.argmin(x, axis=1)', params: X },
  { op: 'image.resize2d', call: 'R.image.resize2d(x, R.shape([5, 7]), coordinate_transformation_mode="align_corners")', params: [x(1, 2, 'n', 4)] },
];

function moduleText(c: Case): string {
  const syms = [...new Set(c.params.flatMap((q) => q.shape.filter((d): d is string => typeof d === 'string')))];
  const sig = c.params.map((q) => `${q.name}: R.Tensor((${q.shape.map((d) => (typeof d === 'string' ? `"${d}"` : d)).join(', ')}${q.shape.length === 1 ? ',' : ''}), dtype="${q.dtype ?? 'float32'}")`);
  return ['@I.ir_module', 'class Module:', '    @R.function', `    def main(${sig.join(', ')}):`, ...syms.map((s) => `        ${s} = T.int64()`), `        gv = ${c.call}`, '        return gv', ''].join('\n');
}

const MODES: GpuMode[] = ['cpu', 'webasm'];
const SIZES = [2, 5];

describe('shortlist ops on gpu.js match the JavaScript reference', () => {
  it('covers every shortlist op', () => {
    const shortlist = allOps().filter((o) => o.shortlist).map((o) => o.name.replace(/^relax\./, ''));
    const covered = new Set(CASES.map((c) => c.op));
    expect(shortlist.filter((o) => !covered.has(o))).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.op}: ${c.call}`, async () => {
      const mod = parseModule(moduleText(c));
      const { exec } = build(mod, { fuse: true });
      for (const mode of MODES) {
        const backend = new GpuJsKernelBackend({ mode, jsBelowWork: 0 });
        for (const n of SIZES) {
          const args = inputsFor(mod, { n }, 7 + n);
          const { got, want } = await runBoth(exec, backend, args);
          expect(diffOutputs(got, want, c.t ? 1e-3 : 1e-4), `${mode}, n=${n}`).toBeUndefined();
        }
        for (const [name, f] of exec.kernels) {
          const k = backend.compile(name, f);
          // Each kernel ran on gpu.js, or on the reference with a reason.
          if (k.backend === 'js') expect(k.fallbackReason, `${name} on ${mode}`).toMatch(/gpu\.js cannot express/);
          else expect(k.backend).toBe(mode);
        }
      }
    });
  }
});
