/**
 * Test support for core/gpu: build a module, run it on the VM with a gpu.js backend and with the JavaScript
 * reference on the same inputs, and compare (float32: 1e-4 relative; transcendental ops: 1e-3). @internal
 */
import type { IRModule } from '../ir/module.js';
import { parse } from '../ir/parser/index.js';
import type { RelaxFunction } from '../ir/relax/nodes.js';
import type { Executable } from '../vm/executable.js';
import { JsKernelBackend } from '../vm/kernels/js-codegen.js';
import type { ParamSpec as InputSpec } from '../vm/inputs.js';
import { makeInputs } from '../vm/inputs.js';
import type { KernelBackend } from '../vm/kernel.js';
import { Tensor } from '../vm/tensor.js';
import type { Value } from '../vm/value.js';
import { VirtualMachine } from '../vm/vm.js';

/** Every tensor of a (possibly nested tuple) value, in order. */
export function leaves(v: Value): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap((x) => leaves(x as Value));
  return [];
}

/** The first mismatch between two outputs, or undefined when they agree within `rtol`. */
export function diffOutputs(got: Value, want: Value, rtol: number): string | undefined {
  const g = leaves(got);
  const w = leaves(want);
  if (g.length !== w.length) return `${g.length} output tensors, expected ${w.length}`;
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return `output ${i}: ${a.describe()}, expected ${b.describe()}`;
    const ad = a.data;
    const bd = b.data;
    let scale = 0;
    for (const x of bd) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
    for (let j = 0; j < bd.length; j++) {
      const x = ad[j]!;
      const y = bd[j]!;
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      if (x === y) continue;
      // Relative to the element, with an absolute floor relative to the tensor's scale (float32 sums cancel).
      if (!(Math.abs(x - y) <= rtol * (Math.abs(y) + 0.01 * scale + 1e-6))) return `output ${i}[${j}]: got ${x}, expected ${y}`;
    }
  }
  return undefined;
}

/** Parses TVMScript (throwing on errors). */
export function parseModule(text: string): IRModule {
  const r = parse(text);
  const errs = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.module || errs.length) throw new Error(`does not parse: ${errs.map((d) => d.message).join('; ')}`);
  return r.module;
}

/** The parameters of `main`, for makeInputs. */
export function mainParams(mod: IRModule): InputSpec[] {
  const f = mod.functions.get('main') as RelaxFunction;
  return f.params.map((p) => ({ name: p.name, sinfo: p.sinfo }));
}

/** Runs `main` of `exec` on `backend` and on the JavaScript reference; returns both outputs. */
export async function runBoth(exec: Executable, backend: KernelBackend, args: readonly Value[]): Promise<{ got: Value; want: Value }> {
  const got = await new VirtualMachine(exec, { backend }).invoke('main', args);
  const want = await new VirtualMachine(exec, { backend: new JsKernelBackend() }).invoke('main', args);
  return { got, want };
}

/** Inputs for `main` with the given symbolic sizes and integer ranges. */
export function inputsFor(mod: IRModule, sym: Record<string, number>, seed: number, given: Record<string, Tensor> = {}): Value[] {
  return makeInputs(mainParams(mod), { given, sym, seed });
}
