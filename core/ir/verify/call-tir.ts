/**
 * WF10: the shape of a `call_tir` family call (README decision 3): `Call(Op("relax.call_tir"), [GlobalVar f,
 * Tuple(inputs...)], attrs, [out_ty...])`. The callee must be a PrimFunc of the module, and its parameter count
 * must equal the inputs (tensors and trailing symbolic PrimValues) plus the outputs, minus the outputs that
 * `call_tir_inplace` writes into an input. A callee missing from the module is WF09's business, not this one's.
 */
import type { Call, Expr, StructInfo } from '../relax/nodes.js';
import type { IRModule } from '../module.js';
import { attrGet, attrIntList } from '../attrs.js';

const CALL_TIR_OPS: ReadonlySet<string> = new Set(['relax.call_tir', 'relax.call_tir_inplace', 'relax.call_tir_with_grad']);

/** Reports (through `fail`, with the "However" clause) every way `call` breaks WF10; silent for other calls. */
export function checkCallTir(call: Call, mod: IRModule, fail: (however: string) => void): void {
  if (call.op.kind !== 'relax.Op' || !CALL_TIR_OPS.has(call.op.name)) return;
  const opName = call.op.name.slice('relax.'.length);
  const callee = call.args[0];
  if (!callee || callee.kind !== 'relax.GlobalVar') {
    fail(`the callee of ${opName} is ${callee ? describe(callee) : 'missing'}, not a GlobalVar`);
    return;
  }
  const f = mod.functions.get(callee.name);
  if (!f) return;
  if (f.kind !== 'tir.PrimFunc') {
    fail(`${opName} calls \`${callee.name}\`, which is a Relax function, not a PrimFunc`);
    return;
  }
  const outputs = outputCount(call.sinfoArgs);
  if (outputs === 0) {
    fail(`${opName} of \`${callee.name}\` has no output struct info (out_ty)`);
    return;
  }
  const inputs = inputCount(call.args[1]);
  if (inputs === undefined) return;
  const inplace = inplaceCount(call);
  const expected = inputs + outputs - inplace;
  if (expected === f.params.length) return;
  const inplaceNote = inplace > 0 ? ` minus ${inplace} in-place` : '';
  fail(
    `${opName} passes ${inputs} input(s) and ${outputs} output(s)${inplaceNote}, so \`${callee.name}\` should ` +
      `take ${expected} parameter(s), but it takes ${f.params.length}`,
  );
}

function describe(e: Expr): string {
  switch (e.kind) {
    case 'relax.ExternFunc':
      return `the extern function "${e.globalSymbol}"`;
    case 'relax.Var':
    case 'relax.DataflowVar':
      return `the var \`${e.name}\``;
    default:
      return `a ${e.kind.slice('relax.'.length)}`;
  }
}

/** One output per out_ty entry; a single tuple out_ty means several outputs. */
function outputCount(sinfoArgs: readonly StructInfo[]): number {
  const only = sinfoArgs.length === 1 ? sinfoArgs[0] : undefined;
  return only?.kind === 'si.Tuple' ? only.fields.length : sinfoArgs.length;
}

/** The number of inputs when known: a tuple literal's fields, a tuple var's fields, or a single tensor. */
function inputCount(args: Expr | undefined): number | undefined {
  if (!args) return 0;
  if (args.kind === 'relax.Tuple') return args.fields.length;
  if (args.kind === 'relax.Var' || args.kind === 'relax.DataflowVar') {
    if (args.sinfo.kind === 'si.Tuple') return args.sinfo.fields.length;
    return args.sinfo.kind === 'si.Tensor' ? 1 : undefined;
  }
  return undefined;
}

function inplaceCount(call: Call): number {
  const idx = attrIntList(attrGet(call.attrs, 'inplace_indices'));
  return idx ? idx.filter((i) => i >= 0).length : 0;
}
