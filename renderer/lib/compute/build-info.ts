/**
 * What the Build view shows besides the pass list, computed where the build runs (the worker or the page) so the
 * response carries text, not IR: the module after every pass, the VM listing line by line with the graph nodes of
 * each call, each kernel's PrimFunc as TVMScript with the nodes that call it, and the kernel source that runs for
 * the chosen device.
 *
 * The kernel source follows core/gpu's rules without creating a gpu.js context (none is needed to write source, and
 * a worker may have none): `js` shows the JavaScript reference (core/vm/kernels/js-codegen.ts); the gpu.js devices
 * show the per-stage gpu.js kernels of tir-to-gpujs.ts, which exist only at a concrete shape, so every symbolic dim
 * must be bound by `sym`; a PrimFunc that gpu.js cannot express shows the reference with the reason it falls back.
 */
import { PrintCtx } from '../../../core/ir/printer/context.js';
import { renderDoc } from '../../../core/ir/printer/doc.js';
import { TirPrinter } from '../../../core/ir/printer/tir-printer.js';
import type { PrimFunc, TirVar } from '../../../core/ir/tir/nodes.js';
import type { KernelPlan, Layout, StageKernel } from '../../../core/gpu/index.js';
import { GpuUnsupported, analyzePrimFunc, specializeStage } from '../../../core/gpu/index.js';
import { Opcode } from '../../../core/vm/bytecode.js';
import type { Executable } from '../../../core/vm/executable.js';
import { primFuncToJs } from '../../../core/vm/kernels/js-codegen.js';
import type { ComputeDevice, KernelSource, ListingLine } from './protocol.js';

/** The source nodes (graph bindings) of every call of function-table entry `idx`, in first-call order. */
export function callNodes(exec: Executable, idx: number): string[] {
  const nodes = new Set<string>();
  exec.instrs.forEach((ins, pc) => {
    if (ins.op === Opcode.Call && ins.funcIdx === idx) for (const n of exec.provenance[pc] ?? []) nodes.add(n);
  });
  return [...nodes];
}

// ---------------------------------------------------------------- listing

/** The program counters of the instruction lines of `asText()`, in print order (vm functions, in table order). */
function listedPcs(exec: Executable): number[] {
  const pcs: number[] = [];
  for (const f of exec.funcTable) if (f.kind === 'vm_func') for (let pc = f.startInstr; pc < f.endInstr; pc++) pcs.push(pc);
  return pcs;
}

/**
 * `asText()` line by line. Instruction lines are the indented ones; they come in the order of `listedPcs`, so each
 * call line gets its instruction's provenance and, when the callee is a kernel, the kernel's name. `asText` stays
 * the one source of the text.
 */
export function listingLines(exec: Executable): ListingLine[] {
  const lines = exec.asText().split('\n');
  if (lines.at(-1) === '') lines.pop();
  const pcs = listedPcs(exec);
  let next = 0;
  return lines.map((text) => {
    if (!text.startsWith('  ')) return { text, nodes: [] };
    const ins = exec.instrs[pcs[next++]!];
    if (!ins || ins.op !== Opcode.Call) return { text, nodes: [] };
    const callee = exec.funcTable[ins.funcIdx]?.name;
    const nodes = [...(exec.provenance[pcs[next - 1]!] ?? [])];
    return callee !== undefined && exec.kernels.has(callee) ? { text, nodes, kernel: callee } : { text, nodes };
  });
}

// ---------------------------------------------------------------- kernels

/**
 * One PrimFunc as TVMScript (`@T.prim_func def name(...)`), without the module around it: the Kernel tab shows one
 * kernel at a time, and a lone prim_func is itself valid TVMScript.
 */
export function printPrimFunc(name: string, f: PrimFunc): string {
  return renderDoc(new TirPrinter(new PrintCtx('v0.26', 'Module')).printFunction(name, f)).text;
}

/** Each kernel printed, by name. */
export function primFuncTexts(exec: Executable): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, f] of exec.kernels) out[name] = printPrimFunc(name, f);
  return out;
}

/** Each kernel's calling nodes, by name (empty for a kernel no instruction calls, e.g. one lowered to a builtin). */
export function kernelNodeMap(exec: Executable): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of exec.kernels.keys()) out[name] = callNodes(exec, exec.funcIndex(name));
  return out;
}

/** How a device runs kernels: gpu.js in a mode and layout, or the reference alone. */
interface DeviceRule {
  /** What `backend` says: the gpu.js mode as the run panel's kernel list names it, or "js". */
  readonly backend: string;
  readonly layout?: Layout;
  /** CPU modes: element-wise calls and calls under this many multiply-adds run on the reference (core/gpu/backend.ts). */
  readonly jsBelowWork?: number;
}

/** core/gpu/backend.ts's default `jsBelowWork` on the CPU modes; kept in step with it by a test of `wasm`. */
const CPU_JS_BELOW_WORK = 8192;

/** The rule of each device (core/gpu/device.ts: `auto` picks a GPU mode where it can, so it shows gpu.js source). */
function deviceRule(device: ComputeDevice): DeviceRule {
  switch (device) {
    case 'js':
      return { backend: 'js' };
    case 'cpu':
      // gpu.js cpu mode returns nested arrays the kernels cannot index flat: the backend uses the flat layout there.
      return { backend: 'cpu', layout: 'flat', jsBelowWork: CPU_JS_BELOW_WORK };
    case 'wasm':
      return { backend: 'webasm', layout: 'nd', jsBelowWork: CPU_JS_BELOW_WORK };
    case 'auto':
      return { backend: 'gpu.js', layout: 'nd' };
    default:
      return { backend: device, layout: 'nd' };
  }
}

/** Each kernel's source for `device`, by name. */
export function kernelSources(exec: Executable, device: ComputeDevice, sym: Readonly<Record<string, number>>): Record<string, KernelSource> {
  const rule = deviceRule(device);
  const out: Record<string, KernelSource> = {};
  for (const [name, f] of exec.kernels) out[name] = kernelSource(name, f, rule, sym);
  return out;
}

/** The JavaScript reference, wrapped in the function the backend makes of it (`new Function('args', 'rt', body)`). */
function reference(name: string, f: PrimFunc, reason?: string): KernelSource {
  const source = `function ${name.replace(/[^A-Za-z0-9_$]/g, '_')}(args, rt) {\n${primFuncToJs(name, f)}\n}`;
  return { backend: 'js', source, ...(reason ? { reason } : {}) };
}

function kernelSource(name: string, f: PrimFunc, rule: DeviceRule, sym: Readonly<Record<string, number>>): KernelSource {
  if (!rule.layout) return reference(name, f);
  let plan: KernelPlan;
  try {
    plan = analyzePrimFunc(f);
  } catch (e) {
    if (!(e instanceof GpuUnsupported)) throw e;
    return reference(name, f, `gpu.js cannot express ${e.message}; this kernel runs on the JavaScript reference`);
  }
  const vars = symbolicVars(plan);
  const unbound = [...new Set(vars.filter((v) => !(v.name in sym)).map((v) => v.name))];
  if (unbound.length) return { backend: rule.backend, reason: unboundReason(unbound) };
  const env = new Map<TirVar, number>(vars.map((v) => [v, sym[v.name]!]));
  let stages: StageKernel[];
  try {
    stages = plan.stages.map((s) => specializeStage(s, env, rule.layout!));
  } catch (e) {
    if (!(e instanceof GpuUnsupported)) throw e;
    return reference(name, f, `gpu.js cannot express ${e.message} at this shape; this kernel runs on the JavaScript reference`);
  }
  const preferJs = cpuPrefersReference(stages, rule);
  if (preferJs) return reference(name, f, preferJs);
  return { backend: rule.backend, source: stagesText(stages) };
}

/**
 * The vars a call binds from its arguments: scalar params and the bare-var dims of buffer params (the same ones
 * core/gpu/backend.ts binds at run time), first occurrence order.
 */
function symbolicVars(plan: KernelPlan): TirVar[] {
  const out: TirVar[] = [...plan.scalars.values()];
  for (const buf of plan.buffers.values()) for (const d of buf.shape) if (d.kind === 'tir.Var' && !out.includes(d)) out.push(d);
  return out;
}

function unboundReason(names: readonly string[]): string {
  const list = names.join(', ');
  const dims = names.length === 1 ? `the symbolic dim ${list}` : `the symbolic dims ${list}`;
  return `gpu.js kernels are written for one concrete shape; bind ${dims} to see the source`;
}

/** The CPU modes' speed rule (core/gpu/backend.ts `prefersReference`), said for a person; undefined on GPU modes. */
function cpuPrefersReference(stages: readonly StageKernel[], rule: DeviceRule): string | undefined {
  if (!rule.jsBelowWork) return undefined;
  const work = stages.reduce((a, s) => a + s.work, 0);
  if (!stages.some((s) => s.stage.reduce.length > 0))
    return `on ${rule.backend}, element-wise kernels run on the JavaScript reference (faster there than gpu.js)`;
  if (work < rule.jsBelowWork)
    return `on ${rule.backend}, calls under ${rule.jsBelowWork} multiply-adds run on the JavaScript reference (this one does about ${work})`;
  return undefined;
}

/** The stage kernels one after another, each headed by which stage it is, its output and its thread grid. */
function stagesText(stages: readonly StageKernel[]): string {
  return stages
    .map((s, i) => {
      const head = `// stage ${i + 1} of ${stages.length}: block "${s.stage.name}" writes ${s.stage.out.name}, output [${s.output.join(', ')}]`;
      return `${head}\n${s.source}`;
    })
    .join('\n\n');
}
