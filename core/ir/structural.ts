/**
 * Structural equality and hashing over IR nodes, as TVM's `StructuralEqual`/`StructuralHash`:
 * - spans, name hints of variables and buffers, the module's class name, printing hints and provenance are ignored;
 * - variables (Relax Var/DataflowVar, TIR Var) and buffers are compared by where they are defined: the first
 *   time a pair is met they are mapped to each other (after comparing their struct info / dtype / shape), and
 *   every later occurrence must follow that mapping, in both directions;
 * - GlobalVars compare by name; maps compare by key (order-insensitive), arrays element-wise.
 * `structuralEqual` returns null when equal, or the path of the first mismatch, e.g.
 * `.functions["main"].body.blocks[0].bindings[3].value.args[1]`.
 */

/** Keys that never take part in equality or hashing. */
const IGNORED_KEYS = new Set(['span', 'nameSpan', 'annotated', 'provenance']);
/** Kinds whose identity is a definition: compared by mapping, their `name` ignored. */
const BINDER_KINDS = new Set(['relax.Var', 'relax.DataflowVar', 'tir.Var', 'tir.Buffer']);

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null;
}

function keysOf(o: Obj, kind: unknown): string[] {
  const out: string[] = [];
  for (const k of Object.keys(o)) {
    if (IGNORED_KEYS.has(k)) continue;
    if (k === 'name' && (kind === 'ir.IRModule' || BINDER_KINDS.has(kind as string))) continue;
    if (o[k] === undefined) continue;
    out.push(k);
  }
  // Definitions before uses: a PrimFunc's `params` bind the vars that key its `bufferMap`, whatever order the
  // buffers were inserted in; otherwise fields go in a fixed (sorted) order.
  return out.sort((x, y) => (x === 'params' ? -1 : y === 'params' ? 1 : x < y ? -1 : x > y ? 1 : 0));
}

class Equal {
  private readonly l2r = new Map<object, object>();
  private readonly r2l = new Map<object, object>();

  run(a: unknown, b: unknown, path: string): string | null {
    if (a === b && !isObj(a)) return null;
    if (typeof a !== typeof b) return path;
    if (!isObj(a) || !isObj(b)) {
      if (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number)) return null;
      return a === b ? null : path;
    }
    if (Array.isArray(a) !== Array.isArray(b)) return path;
    if (Array.isArray(a)) return this.arrays(a, b as unknown as unknown[], path);
    if (a instanceof Map !== b instanceof Map) return path;
    if (a instanceof Map) return this.maps(a, b as unknown as Map<unknown, unknown>, path);
    if (a['kind'] !== b['kind']) return path;
    if (BINDER_KINDS.has(a['kind'] as string)) return this.binder(a, b, path);
    return this.fields(a, b, path);
  }

  private arrays(a: readonly unknown[], b: readonly unknown[], path: string): string | null {
    if (a.length !== b.length) return `${path} (length ${a.length} vs ${b.length})`;
    for (let i = 0; i < a.length; i++) {
      const r = this.run(a[i], b[i], `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }

  private maps(a: Map<unknown, unknown>, b: Map<unknown, unknown>, path: string): string | null {
    if (a.size !== b.size) return `${path} (size ${a.size} vs ${b.size})`;
    const bKeys = [...b.keys()];
    let i = 0;
    for (const [k, v] of a) {
      const bKey = bKeys[i++];
      if (isObj(k)) {
        // Keyed by a binder (PrimFunc.bufferMap): a key not yet mapped (fields compare in sorted order, so
        // `bufferMap` before `params`) is paired with the key at the same insertion position.
        if (!this.l2r.has(k) && isObj(bKey) && this.run(k, bKey, `${path}{key}`)) return `${path}[${String((k as Obj)['name'] ?? '?')}]`;
        const rk = this.l2r.get(k);
        if (!rk || !b.has(rk)) return `${path}[${String((k as Obj)['name'] ?? '?')}]`;
        const r = this.run(v, b.get(rk), `${path}[${String((k as Obj)['name'] ?? '?')}]`);
        if (r) return r;
      } else {
        if (!b.has(k)) return `${path}[${JSON.stringify(k)}] (missing)`;
        const r = this.run(v, b.get(k), `${path}[${JSON.stringify(k)}]`);
        if (r) return r;
      }
    }
    return null;
  }

  private binder(a: Obj, b: Obj, path: string): string | null {
    const mapped = this.l2r.get(a);
    if (mapped) return mapped === b ? null : `${path} (variable ${String(a['name'])} bound differently)`;
    if (this.r2l.has(b)) return `${path} (variable ${String(b['name'])} bound differently)`;
    this.l2r.set(a, b);
    this.r2l.set(b, a);
    return this.fields(a, b, path);
  }

  private fields(a: Obj, b: Obj, path: string): string | null {
    const kind = a['kind'];
    const ka = keysOf(a, kind);
    const kb = keysOf(b, kind);
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
      const missing = ka.filter((k) => !kb.includes(k)).concat(kb.filter((k) => !ka.includes(k)));
      return `${path}.${missing[0] ?? '?'}`;
    }
    for (const k of ka) {
      const r = this.run(a[k], b[k], `${path}.${k}`);
      if (r) return r;
    }
    return null;
  }
}

/** Null when `a` and `b` are structurally equal, else the path of the first mismatch. */
export function structuralEqual(a: unknown, b: unknown): string | null {
  return new Equal().run(a, b, '');
}

export function isStructurallyEqual(a: unknown, b: unknown): boolean {
  return structuralEqual(a, b) === null;
}

// ---------------------------------------------------------------- hashing

function mix(h: number, x: number): number {
  h ^= x;
  return Math.imul(h, 0x01000193) >>> 0;
}

function hashString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return mix(h, 0xff);
}

class Hasher {
  private readonly ids = new Map<object, number>();

  run(h: number, x: unknown): number {
    switch (typeof x) {
      case 'undefined':
        return mix(h, 1);
      case 'boolean':
        return mix(h, x ? 3 : 2);
      case 'number':
        return hashString(mix(h, 4), Number.isNaN(x) ? 'NaN' : String(x));
      case 'bigint':
        return hashString(mix(h, 5), x.toString());
      case 'string':
        return hashString(mix(h, 6), x);
      case 'object':
        return x === null ? mix(h, 7) : this.object(h, x as Obj);
      default:
        return mix(h, 8);
    }
  }

  private object(h: number, o: Obj): number {
    if (Array.isArray(o)) {
      h = mix(h, 9 + o.length);
      for (const e of o) h = this.run(h, e);
      return h;
    }
    if (o instanceof Map) {
      // Order-insensitive: combine entry hashes with addition.
      let acc = 0;
      for (const [k, v] of o) acc = (acc + this.run(this.run(0x811c9dc5, isObj(k) ? this.binderId(k) : k), v)) >>> 0;
      return mix(mix(h, 10), acc);
    }
    const kind = o['kind'];
    if (BINDER_KINDS.has(kind as string)) {
      const seen = this.ids.has(o);
      h = mix(hashString(h, kind as string), this.binderId(o));
      if (seen) return h;
    }
    for (const k of keysOf(o, kind)) h = this.run(hashString(h, k), o[k]);
    return h;
  }

  private binderId(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(o, id);
    }
    return id;
  }
}

/** A 32-bit structural hash consistent with `structuralEqual` (equal nodes hash equal). */
export function structuralHash(x: unknown): number {
  return new Hasher().run(0x811c9dc5, x);
}
