/**
 * VM codegen (TVM's `codegen_vm.cc` + `ExecBuilder`): a fully lowered IRModule to an Executable.
 *
 * Preconditions (what the pipeline guarantees): no dataflow blocks, no `call_tir` (CallTIRRewrite made calls
 * destination-passing), memory ops lowered to `R.vm.*`, shapes lowered by VMShapeLower. Codegen is lenient where
 * it costs nothing: a static `R.shape([...])` or `R.builtin.alloc_tensor` is still compiled directly.
 *
 * Registers: parameters take 0..N-1, every binding a fresh register (an alias `y = x` shares x's). A call to a
 * PrimFunc writes `%void`. The function table lists the Relax functions in module order, then packed functions
 * (builtins, kernels, user functions) in first-use order, as TVM does.
 */
import type { IRModule } from '../../ir/module.js';
import type { Binding, Call, Expr, RelaxFunction, RelaxVar, SeqExpr } from '../../ir/relax/nodes.js';
import type { PrimExpr, PrimFunc } from '../../ir/tir/nodes.js';
import { attrGet } from '../../ir/attrs.js';
import type { Arg, Instruction } from '../../vm/bytecode.js';
import { Args, Opcode, VOID_REGISTER } from '../../vm/bytecode.js';
import type { ConstValue, VMFuncInfo } from '../../vm/executable.js';
import { Executable } from '../../vm/executable.js';
import { Tensor, allocData, shapeSize } from '../../vm/tensor.js';

export class CodegenError extends Error {
  constructor(
    message: string,
    readonly nodes: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CodegenError';
  }
}

interface FuncBuild {
  readonly name: string;
  readonly params: readonly string[];
  readonly instrs: Instruction[];
  readonly provenance: (readonly string[] | undefined)[];
  registers: number;
}

/** Maps `R.vm.*`, `R.memory.*`-free builtin ops to the `vm.builtin.*` they call and whether `%vm` comes first. */
const OP_BUILTINS: Record<string, { readonly fn: string; readonly ctx: boolean }> = {
  'relax.vm.alloc_storage': { fn: 'vm.builtin.alloc_storage', ctx: true },
  'relax.vm.alloc_tensor': { fn: 'vm.builtin.alloc_tensor', ctx: false },
  'relax.builtin.alloc_tensor': { fn: 'vm.builtin.alloc_tensor', ctx: false },
  'relax.reshape': { fn: 'vm.builtin.reshape', ctx: false },
  'relax.shape_of': { fn: 'vm.builtin.shape_of', ctx: false },
  'relax.null_value': { fn: 'vm.builtin.null_value', ctx: false },
  'relax.to_vdevice': { fn: 'vm.builtin.to_device', ctx: false },
};

class Codegen {
  private readonly funcIndex = new Map<string, number>();
  private readonly packedOrder: string[] = [];
  private readonly constants: ConstValue[] = [];
  private readonly constKeys = new Map<string, number>();
  private readonly kernels = new Map<string, PrimFunc>();
  private readonly relaxFuncs: [string, RelaxFunction][] = [];

  constructor(private readonly mod: IRModule) {
    for (const [name, f] of mod.functions) {
      if (f.kind === 'relax.Function') this.relaxFuncs.push([symbolOf(name, f.attrs), f]);
      else this.kernels.set(name, f);
    }
    this.relaxFuncs.forEach(([n], i) => this.funcIndex.set(n, i));
  }

  build(): Executable {
    const builds = this.relaxFuncs.map(([name, f]) => this.function(name, f));
    const table: VMFuncInfo[] = [];
    const instrs: Instruction[] = [];
    const provenance: (readonly string[] | undefined)[] = [];
    for (const b of builds) {
      table.push({
        kind: 'vm_func',
        name: b.name,
        startInstr: instrs.length,
        endInstr: instrs.length + b.instrs.length,
        numArgs: b.params.length,
        registerFileSize: b.registers,
        paramNames: b.params,
      });
      instrs.push(...b.instrs);
      provenance.push(...b.provenance);
    }
    for (const p of this.packedOrder)
      table.push({ kind: 'packed_func', name: p, startInstr: 0, endInstr: 0, numArgs: -1, registerFileSize: 0, paramNames: [] });
    return new Executable(table, this.constants, instrs, this.kernels, provenance);
  }

  // ---------------------------------------------------------------- functions

  private function(name: string, f: RelaxFunction): FuncBuild {
    const fb: FuncBuild = { name, params: f.params.map((p) => p.name), instrs: [], provenance: [], registers: f.params.length };
    const regs = new Map<RelaxVar, number>();
    f.params.forEach((p, i) => regs.set(p, i));
    const result = this.seq(fb, regs, f.body);
    this.emit(fb, { op: Opcode.Ret, result }, undefined);
    return fb;
  }

  private seq(fb: FuncBuild, regs: Map<RelaxVar, number>, s: SeqExpr): number {
    for (const block of s.blocks) for (const b of block.bindings) this.binding(fb, regs, b);
    return this.valueReg(fb, regs, s.body, undefined);
  }

  private binding(fb: FuncBuild, regs: Map<RelaxVar, number>, b: Binding): void {
    if (b.kind === 'relax.MatchCast') {
      // VMShapeLower has emitted the checks; the value itself is the match_cast result.
      regs.set(b.v, this.valueReg(fb, regs, b.value, sourceOf(b.v)));
      return;
    }
    const v = b.value;
    if (v.kind === 'relax.Var' || v.kind === 'relax.DataflowVar') {
      regs.set(b.v, this.reg(regs, v));
      return;
    }
    regs.set(b.v, this.valueReg(fb, regs, v, sourceOf(b.v), b.v));
  }

  /** Emits code for an expression and returns the register holding its value. */
  private valueReg(fb: FuncBuild, regs: Map<RelaxVar, number>, e: Expr, prov: readonly string[] | undefined, target?: RelaxVar): number {
    switch (e.kind) {
      case 'relax.Var':
      case 'relax.DataflowVar':
        return this.reg(regs, e);
      case 'relax.Call':
        return this.call(fb, regs, e, prov, target);
      case 'relax.Tuple':
        return this.callNamed(fb, 'vm.builtin.make_tuple', e.fields.map((x) => this.arg(fb, regs, x)), prov);
      case 'relax.TupleGetItem':
        return this.callNamed(fb, 'vm.builtin.tuple_getitem', [this.arg(fb, regs, e.tuple), Args.imm(e.index)], prov);
      case 'relax.If':
        return this.ifExpr(fb, regs, e.cond, e.trueBranch, e.falseBranch, prov);
      case 'relax.SeqExpr':
        return this.seq(fb, regs, e);
      case 'relax.GlobalVar':
        return this.callNamed(fb, 'vm.builtin.make_closure', [Args.funcIdx(this.relaxIndex(e.name))], prov);
      case 'relax.Function':
        throw new CodegenError(`a local function reached VM codegen; LambdaLift should have lifted it`, prov);
      case 'relax.Op':
        throw new CodegenError(`the op ${e.name} is used as a value; the VM can only call it`, prov);
      default:
        return this.callNamed(fb, 'vm.builtin.copy', [this.arg(fb, regs, e)], prov);
    }
  }

  private call(fb: FuncBuild, regs: Map<RelaxVar, number>, c: Call, prov: readonly string[] | undefined, target?: RelaxVar): number {
    const p = c.provenance ?? prov;
    const callee = c.op;
    if (callee.kind === 'relax.ExternFunc') return this.callNamed(fb, callee.globalSymbol, c.args.map((a) => this.arg(fb, regs, a)), p);
    if (callee.kind === 'relax.GlobalVar') {
      const args = c.args.map((a) => this.arg(fb, regs, a));
      if (this.kernels.has(callee.name)) {
        this.emitCall(fb, this.packedIndex(callee.name), args, VOID_REGISTER, p);
        return this.newReg(fb);
      }
      const dst = this.newReg(fb);
      this.emitCall(fb, this.relaxIndex(callee.name), args, dst, p);
      return dst;
    }
    if (callee.kind === 'relax.Var' || callee.kind === 'relax.DataflowVar') {
      const args = [Args.reg(this.reg(regs, callee)), ...c.args.map((a) => this.arg(fb, regs, a))];
      return this.callNamed(fb, 'vm.builtin.invoke_closure', args, p);
    }
    return this.opCall(fb, regs, c, p, target);
  }

  private opCall(fb: FuncBuild, regs: Map<RelaxVar, number>, c: Call, p: readonly string[] | undefined, target?: RelaxVar): number {
    const name = (c.op as { name: string }).name;
    const args = (): Arg[] => c.args.map((a) => this.arg(fb, regs, a));
    switch (name) {
      case 'relax.call_packed':
      case 'relax.call_pure_packed': {
        const [fn, ...rest] = c.args;
        if (fn?.kind !== 'relax.ExternFunc') throw new CodegenError(`${name} needs a function name as its first argument`, p);
        return this.callNamed(fb, fn.globalSymbol, rest.map((a) => this.arg(fb, regs, a)), p);
      }
      case 'relax.call_builtin_with_ctx': {
        const [fn, tuple] = c.args;
        if (fn?.kind !== 'relax.ExternFunc') throw new CodegenError('call_builtin_with_ctx needs a function name', p);
        const rest = tuple?.kind === 'relax.Tuple' ? tuple.fields : tuple ? [tuple] : [];
        return this.callNamed(fb, fn.globalSymbol, [Args.vm(), ...rest.map((a) => this.arg(fb, regs, a))], p);
      }
      case 'relax.vm.kill_object':
      case 'relax.memory.kill_tensor':
      case 'relax.memory.kill_storage': {
        const x = c.args[0];
        if (x && (x.kind === 'relax.Var' || x.kind === 'relax.DataflowVar') && regs.has(x))
          this.emitCall(fb, this.packedIndex('vm.builtin.null_value'), [], this.reg(regs, x), p);
        return this.newReg(fb);
      }
      case 'relax.builtin.alloc_tensor': {
        const [shape, dtype] = c.args;
        return this.callNamed(fb, 'vm.builtin.alloc_tensor', [Args.void(), Args.imm(0), this.arg(fb, regs, shape!), this.arg(fb, regs, dtype!)], p);
      }
      case 'relax.vm.alloc_tensor': {
        const [storage, offset, shape, dtype] = c.args;
        return this.callNamed(fb, 'vm.builtin.alloc_tensor', [storage, offset, shape, dtype].map((a) => this.arg(fb, regs, a!)), p);
      }
      case 'relax.vm.alloc_storage': {
        const [size, dev, dtype, scope] = c.args;
        const a = [size, dev, dtype, scope].filter((x): x is Expr => !!x).map((x) => this.arg(fb, regs, x));
        return this.callNamed(fb, 'vm.builtin.alloc_storage', [Args.vm(), ...a], p);
      }
      default: {
        const b = OP_BUILTINS[name];
        if (!b) throw new CodegenError(`the VM cannot run ${name.replace(/^relax\./, 'R.')} directly; it should have been lowered (LegalizeOps)${target ? ` at ${target.name}` : ''}`, p);
        return this.callNamed(fb, b.fn, b.ctx ? [Args.vm(), ...args()] : args(), p);
      }
    }
  }

  private ifExpr(fb: FuncBuild, regs: Map<RelaxVar, number>, cond: Expr, t: SeqExpr, f: SeqExpr, prov: readonly string[] | undefined): number {
    const c = this.callNamed(fb, 'vm.builtin.read_if_cond', [this.arg(fb, regs, cond)], prov);
    const merge = this.newReg(fb);
    const ifAt = fb.instrs.length;
    this.emit(fb, { op: Opcode.If, cond: c, falseOffset: 0 }, prov);
    const tr = this.seq(fb, new Map(regs), t);
    this.emitCall(fb, this.packedIndex('vm.builtin.copy'), [Args.reg(tr)], merge, prov);
    const gotoAt = fb.instrs.length;
    this.emit(fb, { op: Opcode.Goto, offset: 0 }, prov);
    fb.instrs[ifAt] = { op: Opcode.If, cond: c, falseOffset: fb.instrs.length - ifAt };
    const fr = this.seq(fb, new Map(regs), f);
    this.emitCall(fb, this.packedIndex('vm.builtin.copy'), [Args.reg(fr)], merge, prov);
    fb.instrs[gotoAt] = { op: Opcode.Goto, offset: fb.instrs.length - gotoAt };
    return merge;
  }

  // ---------------------------------------------------------------- arguments and constants

  private arg(fb: FuncBuild, regs: Map<RelaxVar, number>, e: Expr): Arg {
    switch (e.kind) {
      case 'relax.Var':
      case 'relax.DataflowVar':
        return Args.reg(this.reg(regs, e));
      case 'relax.PrimValue': {
        const v = e.value;
        if (v.kind === 'tir.IntImm' && Number.isSafeInteger(v.value) && Math.abs(v.value) < 2 ** 40) return Args.imm(v.value);
        if (v.kind === 'tir.FloatImm') return Args.constIdx(this.constant({ t: 'float', value: v.value }));
        throw new CodegenError(`a symbolic value (${primText(v)}) reached VM codegen; VMShapeLower should have computed it`);
      }
      case 'relax.StringImm':
        return Args.constIdx(this.constant({ t: 'str', value: e.value }));
      case 'relax.DataTypeImm':
        return Args.constIdx(this.constant({ t: 'dtype', value: e.value }));
      case 'relax.ShapeExpr': {
        const dims = e.values.map((d) => (d.kind === 'tir.IntImm' ? d.value : NaN));
        if (dims.some(Number.isNaN)) throw new CodegenError(`a symbolic shape (${e.values.map(primText).join(', ')}) reached VM codegen; VMShapeLower should have made it`);
        return Args.constIdx(this.constant({ t: 'shape', dims }));
      }
      case 'relax.Constant':
        return Args.constIdx(this.constant(constantValue(e)));
      case 'relax.GlobalVar':
        return Args.funcIdx(this.kernels.has(e.name) ? this.packedIndex(e.name) : this.relaxIndex(e.name));
      case 'relax.ExternFunc':
        return Args.constIdx(this.constant({ t: 'str', value: e.globalSymbol }));
      default:
        return Args.reg(this.valueReg(fb, regs, e, undefined));
    }
  }

  private constant(c: ConstValue): number {
    const key = c.t === 'tensor' ? undefined : JSON.stringify(c);
    if (key !== undefined) {
      const hit = this.constKeys.get(key);
      if (hit !== undefined) return hit;
      this.constKeys.set(key, this.constants.length);
    }
    this.constants.push(c);
    return this.constants.length - 1;
  }

  // ---------------------------------------------------------------- emission

  private reg(regs: Map<RelaxVar, number>, v: RelaxVar): number {
    const r = regs.get(v);
    if (r === undefined) throw new CodegenError(`variable ${v.name} is used before it is defined`);
    return r;
  }

  private newReg(fb: FuncBuild): number {
    return fb.registers++;
  }

  private relaxIndex(name: string): number {
    const i = this.funcIndex.get(name) ?? this.funcIndex.get(this.symbolFor(name));
    if (i === undefined) throw new CodegenError(`call to ${name}, which is not a function of the module`);
    return i;
  }

  private symbolFor(name: string): string {
    const f = this.mod.functions.get(name);
    return f?.kind === 'relax.Function' ? symbolOf(name, f.attrs) : name;
  }

  private packedIndex(name: string): number {
    let i = this.funcIndex.get(name);
    if (i === undefined) {
      i = this.relaxFuncs.length + this.packedOrder.length;
      this.packedOrder.push(name);
      this.funcIndex.set(name, i);
    }
    return i;
  }

  private callNamed(fb: FuncBuild, name: string, args: readonly Arg[], prov: readonly string[] | undefined): number {
    const dst = this.newReg(fb);
    this.emitCall(fb, this.relaxOrPacked(name), args, dst, prov);
    return dst;
  }

  private relaxOrPacked(name: string): number {
    return this.funcIndex.get(name) ?? this.packedIndex(name);
  }

  private emitCall(fb: FuncBuild, funcIdx: number, args: readonly Arg[], dst: number, prov: readonly string[] | undefined): void {
    this.emit(fb, { op: Opcode.Call, dst, funcIdx, args }, prov);
  }

  private emit(fb: FuncBuild, ins: Instruction, prov: readonly string[] | undefined): void {
    fb.instrs.push(ins);
    fb.provenance.push(prov);
  }
}

/** The graph node a binding stands for: its var's name, except the discard name `_`, which names no node. */
function sourceOf(v: RelaxVar): readonly string[] | undefined {
  return v.name === '_' ? undefined : [v.name];
}

function symbolOf(name: string, attrs: RelaxFunction['attrs']): string {
  const s = attrGet(attrs, 'global_symbol');
  return typeof s === 'string' ? s : name;
}

function primText(e: PrimExpr): string {
  return e.kind === 'tir.Var' ? e.name : e.kind === 'tir.IntImm' ? String(e.value) : e.kind;
}

function constantValue(c: Extract<Expr, { kind: 'relax.Constant' }>): ConstValue {
  if (!c.data || !c.shape) throw new CodegenError(`a metadata constant (${c.metaRef ? `metadata["${c.metaRef.key}"][${c.metaRef.index}]` : 'unknown'}) has no data: load the module with its metadata to run it`);
  const data = allocData(c.dtype, shapeSize(c.shape));
  c.data.forEach((v, i) => (data[i] = Number(v)));
  return { t: 'tensor', tensor: new Tensor(c.shape, c.dtype, data) };
}

/** Compiles a lowered module to an Executable. Throws CodegenError (with the nodes involved) when it cannot. */
export function vmCodegen(mod: IRModule): Executable {
  return new Codegen(mod).build();
}
