/**
 * The struct info summary of a module: for each Relax function its params, every binding (top level and inside
 * If branches) and its return, each with struct info as TVMScript text. It is what `relax-studio check` prints and
 * what the editor's inspector lists. Bindings come in the order the fixture goldens use: a binding, then the
 * bindings of its If branches (true branch first).
 */
import type { IRModule } from '../module.js';
import type { Binding, SeqExpr, StructInfo } from '../relax/nodes.js';
import type { Dialect } from '../printer/index.js';
import { printStructInfo } from '../printer/index.js';

/** One named value and its struct info text. */
export interface NamedSInfo {
  readonly name: string;
  readonly sinfo: string;
}

/** The summary of one Relax function. */
export interface FunctionSummary {
  readonly name: string;
  readonly params: readonly NamedSInfo[];
  readonly bindings: readonly NamedSInfo[];
  /** The return annotation's text. */
  readonly ret: string;
}

/** Bindings of a SeqExpr in listing order (each binding, then its If branches' bindings). */
export function listBindings(seq: SeqExpr, out: Binding[] = []): Binding[] {
  for (const block of seq.blocks) {
    for (const b of block.bindings) {
      out.push(b);
      if (b.value.kind === 'relax.If') {
        listBindings(b.value.trueBranch, out);
        listBindings(b.value.falseBranch, out);
      }
    }
  }
  return out;
}

/** Summaries of the module's Relax functions, in module order (PrimFuncs have no struct info and are skipped). */
export function summarizeModule(mod: IRModule, dialect: Dialect = 'v0.26'): FunctionSummary[] {
  const text = (si: StructInfo): string => printStructInfo(si, { dialect });
  const out: FunctionSummary[] = [];
  for (const [name, fn] of mod.functions) {
    if (fn.kind !== 'relax.Function') continue;
    out.push({
      name,
      params: fn.params.map((p) => ({ name: p.name, sinfo: text(p.sinfo) })),
      bindings: listBindings(fn.body).map((b) => ({ name: b.v.name, sinfo: text(b.v.sinfo) })),
      ret: text(fn.retSInfo),
    });
  }
  return out;
}

/**
 * The `check` listing: per function a `@name` line, then `name: <sinfo>` per param and binding. This is the
 * format of the `*.check.golden` fixture files.
 */
export function formatSummary(summaries: readonly FunctionSummary[]): string {
  const lines: string[] = [];
  for (const f of summaries) {
    lines.push(`@${f.name}`);
    for (const p of f.params) lines.push(`${p.name}: ${p.sinfo}`);
    for (const b of f.bindings) lines.push(`${b.name}: ${b.sinfo}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
