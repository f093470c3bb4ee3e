/**
 * IR <-> JSON: a generic, versioned encoding of any IR node (an IRModule, a function, a binding, a struct info).
 *
 * The IR is made of plain objects with a `kind` discriminant, arrays, `Map`s (IRModule.functions keyed by name,
 * PrimFunc.bufferMap keyed by a TIR var) and scalars, so one generic walk covers every node type and keeps working
 * when fields are added. What needs care:
 * - identity: Relax vars, TIR vars and buffers are definitions; every occurrence must decode to the same object.
 *   They are encoded once in a table (`defs`) and referenced as `{"$ref": id}`.
 * - Maps become `{"$map": [[key, value], ...]}` (keys may be refs), in insertion order.
 * - numbers JSON cannot hold (NaN, +-Infinity) become `{"$num": "NaN"}`.
 * - spans are dropped unless `keepSpans` is set (equality ignores them anyway).
 *
 * A document that holds several IR values with shared variables (the graph document) uses one `IrEncoder` /
 * `IrDecoder` pair for all of them, so that identity survives across values. Plain objects never use keys that
 * start with `$`; that is what makes the three markers unambiguous.
 */

/** The JSON shape this module produces. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The envelope of a single encoded value. */
export interface IrJson {
  readonly format: 'relax-studio-ir';
  readonly version: 1;
  readonly defs: Json[];
  readonly root: Json;
}

export interface IrJsonOptions {
  /** Keep source spans (`span`, `nameSpan`) in the output; default false. */
  readonly keepSpans?: boolean;
}

/** The current format version; decoders accept this version only, and say so when given another. */
export const IR_JSON_VERSION = 1;

/** Kinds whose identity matters: encoded once in the defs table. Mirrors structural.ts's binder kinds. */
const DEF_KINDS: ReadonlySet<string> = new Set(['relax.Var', 'relax.DataflowVar', 'tir.Var', 'tir.Buffer']);
const SPAN_KEYS: ReadonlySet<string> = new Set(['span', 'nameSpan']);

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null;
}

function isDef(x: Obj): boolean {
  return typeof x['kind'] === 'string' && DEF_KINDS.has(x['kind']);
}

/**
 * Encodes IR values into JSON, sharing one definition table across every value it encodes, so that a document made
 * of several encoded parts (graph nodes) still refers to one var object per definition.
 */
export class IrEncoder {
  /** The definitions table, in first-use order; `defs[id]` is the encoded definition. */
  readonly defs: Json[] = [];
  private readonly ids = new Map<object, number>();

  constructor(private readonly options: IrJsonOptions = {}) {}

  /** The JSON for one value; definitions it meets go to `defs`. */
  encode(x: unknown): Json {
    switch (typeof x) {
      case 'undefined':
        return null;
      case 'boolean':
      case 'string':
        return x;
      case 'number':
        return Number.isFinite(x) ? x : { $num: String(x) };
      case 'object':
        return x === null ? null : this.object(x as Obj);
      default:
        throw new TypeError(`irToJson: a ${typeof x} cannot be part of the IR`);
    }
  }

  /** The id of a definition, encoding it on first use. */
  ref(def: object): number {
    let id = this.ids.get(def);
    if (id !== undefined) return id;
    id = this.defs.length;
    this.ids.set(def, id);
    this.defs.push(null);
    this.defs[id] = this.fields(def as Obj);
    return id;
  }

  private object(o: Obj): Json {
    if (Array.isArray(o)) return o.map((e) => this.encode(e));
    if (o instanceof Map) return { $map: [...o].map(([k, v]) => [this.encode(k), this.encode(v)]) };
    if (isDef(o)) return { $ref: this.ref(o) };
    return this.fields(o);
  }

  private fields(o: Obj): { [key: string]: Json } {
    const out: { [key: string]: Json } = {};
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (v === undefined) continue;
      if (SPAN_KEYS.has(k) && !this.options.keepSpans) continue;
      out[k] = this.encode(v);
    }
    return out;
  }
}

/** Decodes values written by an `IrEncoder`, given its definitions table; each definition is built once. */
export class IrDecoder {
  private readonly built = new Map<number, unknown>();

  constructor(private readonly defs: readonly Json[]) {}

  /** The IR value for one encoded value. Throws a RangeError on malformed input (bad ref, unknown marker). */
  decode(j: Json): unknown {
    if (j === null || typeof j !== 'object') return j;
    if (Array.isArray(j)) return j.map((e) => this.decode(e));
    if ('$ref' in j) return this.def(j['$ref']);
    if ('$map' in j) return this.map(j['$map']);
    if ('$num' in j) return Number(j['$num']);
    return this.fields(j);
  }

  private def(id: Json): unknown {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= this.defs.length) {
      throw new RangeError(`IR JSON refers to definition ${JSON.stringify(id)}, but the table has ${this.defs.length} entries`);
    }
    if (this.built.has(id)) return this.built.get(id);
    const raw = this.defs[id];
    if (!isObj(raw) || Array.isArray(raw)) throw new RangeError(`IR JSON definition ${id} is not an object`);
    this.built.set(id, undefined); // a cycle would read undefined rather than recurse forever
    const value = this.fields(raw as { [key: string]: Json });
    this.built.set(id, value);
    return value;
  }

  private map(entries: Json): Map<unknown, unknown> {
    if (!Array.isArray(entries)) throw new RangeError('IR JSON `$map` must hold an array of [key, value] pairs');
    const m = new Map<unknown, unknown>();
    for (const e of entries) {
      if (!Array.isArray(e) || e.length !== 2) throw new RangeError('IR JSON `$map` entries must be [key, value] pairs');
      m.set(this.decode(e[0]!), this.decode(e[1]!));
    }
    return m;
  }

  private fields(j: { [key: string]: Json }): Obj {
    const out: Obj = {};
    for (const k of Object.keys(j)) out[k] = this.decode(j[k]!);
    return out;
  }
}

/**
 * Encodes any IR node as a self-contained JSON value (`JSON.stringify`-safe). Use it to store or send IR without
 * going through text; `irFromJson(irToJson(x))` is structurally equal to `x`.
 */
export function irToJson(node: unknown, options: IrJsonOptions = {}): IrJson {
  const enc = new IrEncoder(options);
  const root = enc.encode(node);
  return { format: 'relax-studio-ir', version: IR_JSON_VERSION, defs: enc.defs, root };
}

/**
 * Decodes what `irToJson` wrote. Throws a RangeError (with the reason) on a value that is not such a document; the
 * callers that read user files (CLI, editor) turn that into a diagnostic.
 */
export function irFromJson<T = unknown>(json: unknown): T {
  if (!isObj(json) || json['format'] !== 'relax-studio-ir') {
    throw new RangeError('IR JSON must be an object with format "relax-studio-ir"');
  }
  if (json['version'] !== IR_JSON_VERSION) {
    throw new RangeError(`IR JSON version ${IR_JSON_VERSION} is supported. However, the document has version ${JSON.stringify(json['version'])}`);
  }
  const defs = json['defs'];
  if (!Array.isArray(defs)) throw new RangeError('IR JSON must have a `defs` array');
  return new IrDecoder(defs as Json[]).decode((json['root'] ?? null) as Json) as T;
}
