/**
 * State shared by the Relax and TIR printers while printing one module: the dialect, which script prefixes were
 * used (for the header comments), and the per-function namer that turns name hints into unique Python names.
 * Leaves the actual spelling of nodes to relax-printer.ts / tir-printer.ts / prim.ts.
 */
import type { Dialect } from './index.js';

/** Names a printed program must not rebind: Python keywords and the script prefixes. */
const RESERVED = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'R', 'T', 'I', 'cls', 'metadata', 'tvm',
  'range',
]);

/** Turns a name hint into a valid Python identifier (`""` -> `v`, `1x` -> `v1x`, `a.b` -> `a_b`). */
export function sanitizeName(hint: string): string {
  let s = hint.replace(/[^A-Za-z0-9_]/g, '_');
  if (s.length === 0) s = 'v';
  if (/^[0-9]/.test(s)) s = `v${s}`;
  return s;
}

/**
 * Assigns each object (variable or buffer) one printed name, unique within the namer. Why: names are only hints
 * (README rule 12), so two vars hinted `lv` must print as `lv` and `lv_1` for the text to mean the same program.
 */
export class Namer {
  private readonly used = new Set<string>(RESERVED);
  private readonly names = new Map<object, string>();
  /** Next suffix to try per base name, so n vars sharing a hint cost O(n), not O(n^2). */
  private readonly nextSuffix = new Map<string, number>();

  /** The name already given to `obj`, if any. */
  get(obj: object): string | undefined {
    return this.names.get(obj);
  }

  /** The name of `obj`, assigning a fresh one from `hint` on first sight. */
  name(obj: object, hint: string): string {
    const have = this.names.get(obj);
    if (have !== undefined) return have;
    const base = sanitizeName(hint);
    if (base === '_') {
      // Python's discard name may repeat (`_ = R.call_packed(...)` twice); a later `_` shadows an earlier one.
      this.names.set(obj, base);
      return base;
    }
    let name = base;
    let i = this.nextSuffix.get(base) ?? 1;
    while (this.used.has(name)) name = `${base}_${i++}`;
    if (name !== base) this.nextSuffix.set(base, i);
    this.used.add(name);
    this.names.set(obj, name);
    return name;
  }

  /** Reserves a name that is not an IR object (the module's class name). */
  reserve(name: string): void {
    this.used.add(name);
  }
}

/** Module-wide printing state. */
export class PrintCtx {
  /** `T.` appeared in the output (the header then imports T). */
  usedT = false;
  usedR = false;
  constructor(
    readonly dialect: Dialect,
    /** The class name, for `cls = Module`. */
    readonly moduleName: string,
  ) {}

  get classic(): boolean {
    return this.dialect === 'classic';
  }

  /** `T.<name>` and note that T is used. */
  t(name: string): string {
    this.usedT = true;
    return `T.${name}`;
  }
}
