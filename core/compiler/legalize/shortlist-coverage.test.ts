/**
 * The shortlist of ops.md (the node palette v1: "inferred, lowered and run") is covered: every op has a legalizer,
 * and a named test file compares its kernel with an independent reference (op-testing.ts's checkOp). The list is
 * written out with the ops.md row numbers and must equal the registry's `shortlist` flags, so neither drifts.
 * The Python compositions of TVM (`R.nn.relu6`, `R.linear`) build and run too.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allOps } from '../../ir/op/registry.js';
import '../../ir/op/all.js';
import { legalizedOps } from './registry.js';
import './all.js';
import { buildText } from '../build.js';
import { VirtualMachine } from '../../vm/vm.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';

/** ops.md shortlist rows 2-65 (row 1, `R.const`, is a constant, not an op), by the test file with its reference test. */
const REFERENCE_TESTS: Readonly<Record<string, readonly string[]>> = {
  // rows 2-7
  'create.test.ts': ['zeros', 'ones', 'full', 'arange', 'zeros_like', 'ones_like', 'full_like', 'tril', 'triu'],
  // rows 8-17
  'unary.test.ts': ['exp', 'log', 'sqrt', 'rsqrt', 'abs', 'negative', 'sigmoid', 'tanh', 'erf', 'sin', 'cos', 'floor', 'ceil', 'round', 'square', 'clip'],
  // rows 18-27
  'binary.test.ts': [
    'add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'floor_divide', 'floor_mod',
    'equal', 'greater', 'less', 'greater_equal', 'less_equal', 'not_equal', 'where', 'astype',
  ],
  // rows 28-30
  'linalg.test.ts': ['matmul', 'linear', 'einsum'],
  // rows 31-49
  'nn.test.ts': [
    'nn.conv2d', 'nn.conv1d', 'nn.conv2d_transpose', 'nn.max_pool2d', 'nn.avg_pool2d', 'nn.adaptive_avg_pool2d', 'nn.relu',
    'nn.gelu', 'nn.gelu_tanh', 'nn.silu', 'nn.leakyrelu', 'nn.softmax', 'nn.log_softmax', 'nn.batch_norm', 'nn.layer_norm',
    'nn.group_norm', 'nn.rms_norm', 'nn.dropout', 'nn.pad', 'nn.attention',
  ],
  // rows 50-58
  'manipulate.test.ts': ['reshape', 'permute_dims', 'expand_dims', 'squeeze', 'flatten', 'concat', 'split', 'stack', 'broadcast_to', 'tile', 'repeat'],
  // rows 59-61
  'indexing.test.ts': ['take', 'strided_slice', 'gather_elements'],
  // rows 62-64
  'statistical.test.ts': ['sum', 'mean', 'max', 'min', 'prod', 'variance', 'std', 'argmax', 'argmin'],
  // row 65
  'image.test.ts': ['image.resize2d'],
};

const SHORTLIST = Object.values(REFERENCE_TESTS).flat();
const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Whether a test source runs `op` through a reference comparison: it uses op-testing and spells the op as a call. */
function testsOp(source: string, op: string): boolean {
  const short = op.split('.').pop()!;
  const asCall = source.includes(`R.${op}(`);
  // Tables of ops turned into calls (`R.${op}(x)`, `R.nn.${op}(x)`) name the op as a quoted string or a record key.
  const asTableEntry = new RegExp(`['"\`]${short}['"\`]|^\\s*${short}:`, 'm').test(source) && /R\.[\w.]*\$\{/.test(source);
  return source.includes("from './op-testing.js'") && (asCall || asTableEntry);
}

describe('shortlist coverage (ops.md)', () => {
  it('lists exactly the ops the registry marks as shortlist', () => {
    const flagged = allOps().filter((d) => d.shortlist).map((d) => d.name.replace(/^relax\./, ''));
    expect([...SHORTLIST].sort()).toEqual([...flagged].sort());
    expect(new Set(SHORTLIST).size).toBe(SHORTLIST.length);
  });

  it('every shortlist op has a legalizer', () => {
    const have = new Set(legalizedOps());
    expect(SHORTLIST.filter((op) => !have.has(`relax.${op}`))).toEqual([]);
  });

  for (const [file, ops] of Object.entries(REFERENCE_TESTS)) {
    it(`${file} compares ${ops.length} ops with references`, () => {
      const source = readFileSync(`${HERE}/${file}`, 'utf8');
      expect(ops.filter((op) => !testsOp(source, op))).toEqual([]);
    });
  }
});

describe('TVM Python compositions build and run', () => {
  const HEADER = '# from tvm.script import ir as I\n# from tvm.script import relax as R\n\n';
  const run = async (text: string, args: Tensor[]): Promise<number[]> => {
    const { exec } = buildText(HEADER + text);
    const out = await new VirtualMachine(exec, { backend: new JsKernelBackend() }).invoke('main', args);
    return Array.from((out as Tensor).data);
  };

  it('R.nn.relu6 is clip(x, 0, 6)', async () => {
    const out = await run(`@R.function
def main(x: R.Tensor((5,), dtype="float32")) -> R.Tensor((5,), dtype="float32"):
    with R.dataflow():
        y = R.nn.relu6(x)
        R.output(y)
    return y
`, [Tensor.from([5], 'float32', [-2, 0.5, 3, 6, 9])]);
    expect(out).toEqual([0, 0.5, 3, 6, 6]);
  });

  it('R.linear (x @ W^T + b) followed by relu6, as a layer', async () => {
    const out = await run(`@R.function
def main(x: R.Tensor((2, 3), dtype="float32"), w: R.Tensor((2, 3), dtype="float32"), b: R.Tensor((2,), dtype="float32")) -> R.Tensor((2, 2), dtype="float32"):
    with R.dataflow():
        h = R.linear(x, w, b)
        y = R.nn.relu6(h)
        R.output(y)
    return y
`, [Tensor.from([2, 3], 'float32', [1, 2, 3, -1, -2, -3]), Tensor.from([2, 3], 'float32', [1, 0, 0, 1, 1, 1]), Tensor.from([2], 'float32', [0.5, -1])]);
    // row 0: [1 + 0.5, 6 - 1] = [1.5, 5]; row 1: [-1 + 0.5, -6 - 1] -> relu6 -> [0, 0].
    expect(out).toEqual([1.5, 5, 0, 0]);
  });
});
