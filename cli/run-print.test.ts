/** `relax-studio run` with R.print / R.assert_op: program output on stdout (stderr under --json), a failed assertion exits 1. */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { writeNpy } from '../core/vm/npy.js';
import { Tensor } from '../core/vm/tensor.js';
import { join } from 'node:path';
import { cli, tempDir } from '../test/harness.js';

const PROGRAM = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function(pure=False)
    def main(x: R.Tensor((3,), dtype="int32")) -> R.Tensor((3,), dtype="int32"):
        y = R.multiply(x, x)
        R.print(y, format="squares: {}")
        big = R.greater(R.max(y), R.const(5, "int32"))
        R.assert_op(big, y, format="no square above 5 in {}")
        return y
`;

function program(): string {
  const p = join(tempDir(), 'print.tvmscript');
  writeFileSync(p, PROGRAM);
  return p;
}

describe('relax-studio run: R.print and R.assert_op', () => {
  it('prints program output before the output summary', async () => {
    const r = await cli(['run', program(), '--input', 'x=ones']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('squares: [1 1 1]\n');
    expect(r.stderr).toBe('relax-studio: error: in main, R.assert_op failed (node _): no square above 5 in [1 1 1]\n');
  });

  it('keeps stdout one JSON document under --json', async () => {
    const dir = tempDir();
    const x = join(dir, 'x.npy');
    writeFileSync(x, writeNpy(Tensor.from([3], 'int32', [1, 2, 3])));
    const r = await cli(['run', program(), '--input', `x=${x}`, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outputs: [{ shape: [3], dtype: 'int32' }] });
    expect(r.stderr).toBe('squares: [1 4 9]\n');
  });
});
