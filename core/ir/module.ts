/**
 * IRModule: the unit the parser produces, the printer prints and the compiler lowers.
 */
import type { Span } from './span.js';
import type { AttrDict, AttrValue } from './attrs.js';
import type { RelaxFunction } from './relax/nodes.js';
import type { PrimFunc } from './tir/nodes.js';

export type BaseFunc = RelaxFunction | PrimFunc;

/** One global info entry: `I.vdevice("cuda", 0)`, `I.dummy_global_info()`, kept as written. */
export interface GlobalInfo {
  readonly kind: 'ir.GlobalInfo';
  /** "vdevice", "dummy", or the callee name for others. */
  readonly ctor: string;
  readonly args: readonly AttrValue[];
  readonly kwargs: readonly (readonly [string, AttrValue])[];
  readonly span?: Span;
}

export interface IRModule {
  readonly kind: 'ir.IRModule';
  /** The class name written in the source (`Module`); ignored by equality. */
  readonly name: string;
  /** Functions in source order, keyed by global name. */
  readonly functions: ReadonlyMap<string, BaseFunc>;
  /** `I.module_attrs({...})`. */
  readonly attrs?: AttrDict;
  /** `I.module_global_infos({"vdevice": [...]})`. */
  readonly globalInfos?: readonly (readonly [string, readonly GlobalInfo[]])[];
  /** The `metadata = tvm.ir.load_json("""...""")` payload when the source had one, verbatim. */
  readonly metadata?: string;
  readonly span?: Span;
}

export function irModule(
  name: string,
  functions: ReadonlyMap<string, BaseFunc>,
  extra: Partial<Pick<IRModule, 'attrs' | 'globalInfos' | 'metadata' | 'span'>> = {},
): IRModule {
  return { kind: 'ir.IRModule', name, functions, ...extra };
}
