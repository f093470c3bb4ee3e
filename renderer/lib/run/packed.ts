/**
 * The project's packed functions: JavaScript functions, by name, that a program calls with `R.call_packed`,
 * `R.call_pure_packed`, `R.call_dps_packed` (or `call_inplace_packed`), kept as source text with the project and
 * compiled by the compute engine (renderer/lib/compute/engine.ts) when a run needs them.
 *
 * The contract is the VM's (core/vm/vm.ts, and `relax-studio run --packed`): the function receives the call's
 * arguments in order; a tensor is `{shape, dtype, data}` with `data` a typed array in row-major order; the function
 * may change `data` in place (the RFC seed's `custom_inplace_update`), and for `call_dps_packed` the outputs come
 * last, already allocated, to be written; a returned number, boolean or string is the call's value. The source is a
 * function expression (`function (t) {...}`, `(t) => ...`) or a function body that reads `arguments`.
 *
 * This module is the model the editor needs: which names the program calls (walking the Relax IR), which of those
 * are not defined yet, a starter source stating the contract, and the checks of a name and of a source's syntax.
 */
import type { IRModule } from '../../../core/ir/module.js';
import type { Binding, Expr, RelaxVar } from '../../../core/ir/relax/nodes.js';
import { exprChildren } from '../../../core/ir/relax/visit.js';

/** Name -> JavaScript source, as saved with the project. */
export type PackedFunctions = Readonly<Record<string, string>>;

/** Names the VM provides itself: a program's calls of these need no user function. */
const VM_PREFIXES = ['vm.builtin.', 'relax.run.'];

/** Ops whose first argument is the packed function they call. */
const PACKED_OPS = new Set(['relax.call_packed', 'relax.call_pure_packed', 'relax.call_dps_packed', 'relax.call_inplace_packed']);

/** A starter source for `name` that states the contract in a comment and shows an in-place update. */
export function packedTemplate(name: string): string {
  return `// Packed function \`${name}\`: the program calls it with R.call_packed("${name}", ...).
// Arguments arrive in the order of the call. A tensor is {shape, dtype, data}: shape is an array of numbers,
// dtype a string such as "float32", data a typed array of the values in row-major order.
// To update a tensor in place, write into its data (R.call_dps_packed passes its outputs last: fill them).
// A number, boolean or string you return is the value of the call. Errors you throw stop the run and are shown
// on this function.
function (t) {
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] * 2;
}
`;
}

// ---------------------------------------------------------------- the names a program calls

/** The name of a packed callee: a string (ExternFunc), or a var bound to one. */
function calleeName(e: Expr | undefined, externs: ReadonlyMap<RelaxVar, string>): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'relax.ExternFunc') return e.globalSymbol;
  if (e.kind === 'relax.Var' || e.kind === 'relax.DataflowVar') return externs.get(e);
  return undefined;
}

/** The packed function a call calls, if it calls one. */
function calledName(e: Expr, externs: ReadonlyMap<RelaxVar, string>): string | undefined {
  if (e.kind !== 'relax.Call') return undefined;
  if (e.op.kind === 'relax.Op') return PACKED_OPS.has(e.op.name) ? calleeName(e.args[0], externs) : undefined;
  return calleeName(e.op, externs);
}

/** Walks an expression tree (nested SeqExprs, If branches, nested functions), noting ExternFunc bindings on the way. */
function walk(e: Expr, externs: Map<RelaxVar, string>, found: (name: string) => void): void {
  if (e.kind === 'relax.SeqExpr')
    for (const block of e.blocks)
      for (const b of block.bindings) if (b.value.kind === 'relax.ExternFunc') externs.set(b.v, b.value.globalSymbol);
  const name = calledName(e, externs);
  if (name !== undefined) found(name);
  for (const c of exprChildren(e)) walk(c, externs, found);
}

/** Whether the VM (or the module itself) provides `name`, so no user function is needed. */
function providedByProgram(name: string, module: IRModule): boolean {
  return VM_PREFIXES.some((p) => name.startsWith(p)) || module.functions.has(name);
}

/**
 * The packed functions the program calls that the user must define, each once, in order of first call: every
 * callee of call_packed & co except the VM's own (`vm.builtin.*`, `relax.run.*`) and the module's functions.
 */
export function calledPackedNames(module: IRModule | undefined): string[] {
  if (!module) return [];
  const names = new Set<string>();
  for (const f of module.functions.values()) {
    if (f.kind !== 'relax.Function') continue;
    walk(f.body, new Map(), (n) => {
      if (!providedByProgram(n, module)) names.add(n);
    });
  }
  return [...names];
}

/**
 * The top-level bindings of Relax function `func` whose value calls packed function `name` (the graph nodes a
 * failure of that function belongs to; a statement like `R.call_packed("f", x)` is a binding of `_`).
 */
export function packedCallers(module: IRModule | undefined, func: string, name: string): Binding[] {
  const f = module?.functions.get(func);
  if (!f || f.kind !== 'relax.Function') return [];
  const externs = new Map<RelaxVar, string>();
  const out: Binding[] = [];
  for (const block of f.body.blocks)
    for (const b of block.bindings) {
      if (b.value.kind === 'relax.ExternFunc') externs.set(b.v, b.value.globalSymbol);
      if (callsPacked(b, name, externs)) out.push(b);
    }
  return out;
}

/** Whether binding `b` calls packed function `name` (`externs`: vars bound to `R.ExternFunc` before it). */
export function callsPacked(b: Binding, name: string, externs: ReadonlyMap<RelaxVar, string> = new Map()): boolean {
  let hit = false;
  walk(b.value, new Map(externs), (n) => (hit ||= n === name));
  return hit;
}

/** The names the program calls that the project does not define (offered as one-click "create from template"). */
export function missingPacked(module: IRModule | undefined, packed: PackedFunctions): string[] {
  return calledPackedNames(module).filter((n) => !Object.hasOwn(packed, n));
}

// ---------------------------------------------------------------- checks

const DOTTED = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * Why `name` cannot name a new packed function, or undefined when it can: it must be a dotted identifier
 * (`custom_inplace_update`, `my.lib.scale`), not one of the VM's own names, and not defined already.
 */
export function validatePackedName(name: string, existing: PackedFunctions = {}): string | undefined {
  const n = name.trim();
  if (n === '') return 'a packed function needs a name, e.g. custom_inplace_update';
  if (!DOTTED.test(n)) return `a packed function's name must be a dotted identifier such as my.lib.scale (letters, digits, _ and $, not starting with a digit). However, it is "${n}".`;
  const vm = VM_PREFIXES.find((p) => n.startsWith(p));
  if (vm) return `names starting with ${vm} belong to the VM's own functions. However, "${n}" was given; choose another name.`;
  if (Object.hasOwn(existing, n)) return `a packed function named ${n} is already defined`;
  return undefined;
}

/**
 * The syntax error of a packed function's source (the parser's message), or undefined when it compiles. It accepts what the engine
 * accepts (a function expression, or else a function body); the function is compiled, never called.
 */
export function packedSyntaxError(source: string): string | undefined {
  try {
    new Function(`"use strict"; return (${source}\n);`);
    return undefined;
  } catch (asExpr) {
    try {
      new Function(source);
      return undefined;
    } catch {
      return asExpr instanceof Error ? asExpr.message : String(asExpr);
    }
  }
}

/**
 * The editor's errors before any run: for each function whose source does not compile, `packed.<name>` -> why.
 * Failures at run time (a function that throws) come from the engine under the same key.
 */
export function packedErrors(packed: PackedFunctions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, src] of Object.entries(packed)) {
    const e = packedSyntaxError(src);
    if (e !== undefined) out[`packed.${name}`] = `the packed function \`${name}\` does not compile: ${e}`;
  }
  return out;
}
