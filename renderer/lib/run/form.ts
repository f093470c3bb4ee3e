/**
 * The run panel's form, as plain data: what can be chosen (the program's Relax functions, the chosen one's
 * parameters and the symbolic dims they mention), what the user chose (`RunForm`), the checks that can be made
 * before anything runs (an unbound dim, a repeat count out of range, a random input whose shape is not known), and
 * the two things a form becomes: the compute layer's `RunRequest` and the persisted `RunSettings`.
 *
 * Why a module of its own: the panel stays a thin view, and every rule here runs in Node tests on real modules (the
 * RFC seed). Field errors use the keys of `ComputeError.field` (`sym.n`, `inputs.x`, `func`, `device`) plus
 * `warmup` and `repeat`, so a check made here and a failure reported by the engine land on the same field.
 *
 * Symbolic dims are the TIR vars of the parameters' struct info, in order, each once. A dim that a parameter's
 * shape names bare (`n` in `(n, 4)`) can also be bound by a `.npy` file given for that parameter; a dim that only
 * occurs inside an expression (`n * 2`) cannot, and needs a value typed in.
 */
import { attrGet } from '../../../core/ir/attrs.js';
import type { IRModule } from '../../../core/ir/module.js';
import { printStructInfo } from '../../../core/ir/printer/printer.js';
import type { RelaxFunction, StructInfo } from '../../../core/ir/relax/nodes.js';
import { tensorDims } from '../../../core/ir/relax/nodes.js';
import { definableSymbolicVars, freeSymbolicVars } from '../../../core/ir/relax/visit.js';
import type { ComputeDevice, ComputeError, InputSpec, RunRequest } from '../compute/protocol.js';
import type { RunInputSpec, RunSettings } from '../persist/schema.js';

/** The devices the panel offers, in the order of core/gpu's fallback chain. */
export const RUN_DEVICES: readonly ComputeDevice[] = ['auto', 'webgpu', 'webgl2', 'webgl', 'wasm', 'cpu'];

/** Allowed ranges of the warm-up and repeat counts (a run of thousands of repeats is a mistake, not a wish). */
export const RUN_LIMITS = { warmup: { min: 0, max: 100 }, repeat: { min: 1, max: 1000 } } as const;

/** The largest seed: the generator (core/vm/inputs.ts `seededRandom`) keeps 32 bits. */
export const MAX_SEED = 0xffffffff;

/** One parameter of the chosen function, as the panel lists it. */
export interface RunParam {
  readonly name: string;
  /** Its struct info as TVMScript (`R.Tensor((n, 4), dtype="float32")`). */
  readonly sinfo: string;
  readonly isTensor: boolean;
  /** False when the input cannot be made (random/zeros/ones) because its shape or dtype is not known. */
  readonly canMake: boolean;
  /** The dims a `.npy` file given for it binds (the bare vars of its shape). */
  readonly binds: readonly string[];
}

/** What the form offers for a module: its functions, and for the chosen one its parameters and symbolic dims. */
export interface RunModel {
  readonly functions: readonly string[];
  /** The chosen function; undefined when the module has no Relax function. */
  readonly func: string | undefined;
  readonly params: readonly RunParam[];
  readonly dims: readonly string[];
}

/** How the user wants one input made. `file` is the `.npy` file's name, kept for the run history. */
export type InputChoice =
  | { readonly kind: 'random'; readonly seed: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'npy'; readonly file: string; readonly bytes: Uint8Array };

/** The run panel's state: what the user chose, with the dims as typed (checked by `validateForm`). */
export interface RunForm {
  readonly func: string;
  readonly sym: Readonly<Record<string, string>>;
  readonly inputs: Readonly<Record<string, InputChoice>>;
  readonly device: ComputeDevice;
  readonly warmup: number;
  readonly repeat: number;
  readonly profile: boolean;
}

/** Field key -> message for a person. */
export type FieldErrors = Record<string, string>;

// ---------------------------------------------------------------- the model

/** The name a Relax function runs under: its `global_symbol` when it has one (as the engine names it). */
function runName(name: string, f: RelaxFunction): string {
  const sym = attrGet(f.attrs, 'global_symbol');
  return typeof sym === 'string' ? sym : name;
}

function relaxFunctions(module: IRModule | undefined): Map<string, RelaxFunction> {
  const out = new Map<string, RelaxFunction>();
  for (const [name, f] of module?.functions ?? []) if (f.kind === 'relax.Function') out.set(runName(name, f), f);
  return out;
}

/** The function a form runs when it names none (or one that is gone): `main`, else the first. */
function pickFunction(names: readonly string[], wanted: string | undefined): string | undefined {
  if (wanted !== undefined && names.includes(wanted)) return wanted;
  return names.includes('main') ? 'main' : names[0];
}

function sinfoText(si: StructInfo): string {
  try {
    return printStructInfo(si);
  } catch {
    return si.kind;
  }
}

/** Mirrors core/vm/inputs.ts: a tensor is made only when its dims and dtype are known. */
function canMake(si: StructInfo): boolean {
  if (si.kind === 'si.Tensor') return tensorDims(si) !== undefined && si.dtype !== '';
  if (si.kind === 'si.Shape') return si.values !== undefined;
  if (si.kind === 'si.Tuple') return si.fields.every(canMake);
  return si.kind === 'si.Prim';
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function paramOf(p: RelaxFunction['params'][number]): RunParam {
  return {
    name: p.name,
    sinfo: sinfoText(p.sinfo),
    isTensor: p.sinfo.kind === 'si.Tensor',
    canMake: canMake(p.sinfo),
    binds: p.sinfo.kind === 'si.Tensor' ? unique(definableSymbolicVars(p.sinfo).map((v) => v.name)) : [],
  };
}

/** The run form model of `module` for function `func` (default: `main`, else the first Relax function). */
export function runModel(module: IRModule | undefined, func?: string): RunModel {
  const fns = relaxFunctions(module);
  const functions = [...fns.keys()];
  const chosen = pickFunction(functions, func);
  const f = chosen === undefined ? undefined : fns.get(chosen)!;
  const params = f?.params.map(paramOf) ?? [];
  const dims = unique(f?.params.flatMap((p) => freeSymbolicVars(p.sinfo).map((v) => v.name)) ?? []);
  return { functions, func: chosen, params, dims };
}

// ---------------------------------------------------------------- defaults

/** A fresh choice for the i-th parameter: random, each with its own seed so that inputs differ. */
export function defaultChoice(index: number): InputChoice {
  return { kind: 'random', seed: index };
}

function keepChoice(c: InputChoice | undefined, p: RunParam): boolean {
  if (!c) return false;
  if (c.kind === 'npy') return p.isTensor;
  return p.canMake;
}

/**
 * The form for `module`: the previous choices that still apply (same function, dims and parameters that still
 * exist, a `.npy` only for a tensor), defaults for the rest (random with the parameter's index as seed; a `.npy`
 * still to be chosen for a tensor whose shape is not known). Call it again whenever the module or the function
 * changes, so the form never names a parameter the function no longer has.
 */
export function defaultForm(module: IRModule | undefined, previous?: Partial<RunForm>): RunForm {
  const model = runModel(module, previous?.func);
  const sym: Record<string, string> = {};
  for (const d of model.dims) sym[d] = previous?.sym?.[d] ?? '';
  const inputs: Record<string, InputChoice> = {};
  model.params.forEach((p, i) => {
    const c = previous?.inputs?.[p.name];
    // A tensor that cannot be made (shape unknown) starts as a .npy, so the panel asks for the file at once.
    inputs[p.name] = keepChoice(c, p) ? c! : p.isTensor && !p.canMake ? choiceOfKind('npy', i) : defaultChoice(i);
  });
  return {
    func: model.func ?? '',
    sym,
    inputs,
    device: previous?.device && RUN_DEVICES.includes(previous.device) ? previous.device : 'auto',
    warmup: previous?.warmup ?? 1,
    repeat: previous?.repeat ?? 5,
    profile: previous?.profile ?? true,
  };
}

// ---------------------------------------------------------------- validation

/** A dim value as typed: a whole number >= 0, or undefined (empty or not a number). */
export function parseDim(text: string | undefined): number | undefined {
  const t = (text ?? '').trim();
  if (!/^\d+$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isSafeInteger(v) ? v : undefined;
}

function isWhole(v: number, min: number, max: number): boolean {
  return Number.isInteger(v) && v >= min && v <= max;
}

function dimError(dim: string, typed: string | undefined, boundByFile: boolean): string | undefined {
  const t = (typed ?? '').trim();
  const rule = `bind ${dim} to a whole number >= 0 (e.g. ${dim} = 64)`;
  if (t === '') return boundByFile ? undefined : rule;
  return parseDim(t) === undefined ? `${rule}. However, it is "${t}".` : undefined;
}

function inputError(p: RunParam, c: InputChoice | undefined): string | undefined {
  if (!c) return undefined;
  if (c.kind === 'npy' && !p.isTensor) return `${p.name} is ${p.sinfo}, so it cannot come from a .npy file; choose random, zeros or ones`;
  if (c.kind === 'npy') return c.bytes.length === 0 ? `choose a .npy file for ${p.name}` : undefined;
  if (!p.canMake) return `${p.name} is ${p.sinfo}, whose shape or dtype is not known, so it cannot be made; give it as a .npy file`;
  if (c.kind === 'random' && !isWhole(c.seed, 0, MAX_SEED)) return `the seed of ${p.name} must be a whole number from 0 to ${MAX_SEED}. However, it is ${shown(c.seed)}.`;
  return undefined;
}

/** A number field's value in a message: an emptied number input reads as NaN. */
function shown(v: number): string {
  return Number.isNaN(v) ? 'empty' : String(v);
}

function countError(what: string, v: number, limits: { readonly min: number; readonly max: number }): string | undefined {
  return isWhole(v, limits.min, limits.max) ? undefined : `${what} must be a whole number from ${limits.min} to ${limits.max}. However, it is ${shown(v)}.`;
}

/**
 * The problems of a form that can be seen before running, keyed by field (`func`, `sym.<dim>`, `inputs.<param>`,
 * `device`, `warmup`, `repeat`); empty when the form can run. A dim left empty is fine when a `.npy` input binds it.
 */
export function validateForm(form: RunForm, model: RunModel): FieldErrors {
  const errors: FieldErrors = {};
  const set = (field: string, message: string | undefined): void => {
    if (message !== undefined) errors[field] = message;
  };
  if (model.func === undefined) set('func', 'the program has no Relax function to run');
  else if (form.func !== model.func) set('func', `the function must be one of ${model.functions.join(', ')}. However, it is "${form.func}".`);
  const byFile = new Set(model.params.filter((p) => form.inputs[p.name]?.kind === 'npy').flatMap((p) => p.binds));
  for (const d of model.dims) set(`sym.${d}`, dimError(d, form.sym[d], byFile.has(d)));
  for (const p of model.params) set(`inputs.${p.name}`, inputError(p, form.inputs[p.name]));
  if (!RUN_DEVICES.includes(form.device) && form.device !== 'js') set('device', `the device must be one of ${RUN_DEVICES.join(', ')}. However, it is "${form.device}".`);
  set('warmup', countError('the number of warm-up runs', form.warmup, RUN_LIMITS.warmup));
  set('repeat', countError('the number of timed repeats', form.repeat, RUN_LIMITS.repeat));
  return errors;
}

/**
 * A failed run as field errors, so the engine's message shows on the field it is about (`packed.<name>` goes to
 * the packed-function editor); a failure about no field is keyed `run`. A cancelled run is no error.
 */
export function fieldErrorsOf(error: ComputeError): FieldErrors {
  if (error.cancelled) return {};
  return { [error.field ?? 'run']: error.message };
}

/** The field keys the run panel shows an error under: the function, each dim and input, the device, the counts. */
export function panelFields(model: RunModel): string[] {
  return ['func', ...model.dims.map((d) => `sym.${d}`), ...model.params.map((p) => `inputs.${p.name}`), 'device', 'warmup', 'repeat'];
}

/**
 * The errors that no field of the panel shows (a failure of the whole run, a stale field), so the panel can list
 * them at the top instead of dropping them. `packed.<name>` errors are left out: the packed-function editor shows them.
 */
export function unplacedErrors(errors: FieldErrors, model: RunModel): [string, string][] {
  const placed = new Set(panelFields(model));
  return Object.entries(errors).filter(([k]) => !placed.has(k) && !k.startsWith('packed.'));
}

/** An input choice of the given kind for the panel's kind select: a `.npy` starts without a file (asked for by validation). */
export function choiceOfKind(kind: InputChoice['kind'], index: number, previous?: InputChoice): InputChoice {
  if (previous?.kind === kind) return previous;
  if (kind === 'random') return defaultChoice(index);
  if (kind === 'npy') return { kind: 'npy', file: '', bytes: new Uint8Array() };
  return { kind };
}

// ---------------------------------------------------------------- conversions

/** The dims the form binds to whole numbers (empty or invalid ones left out). */
export function boundDims(form: RunForm): Record<string, number> {
  const sym: Record<string, number> = {};
  for (const [d, t] of Object.entries(form.sym)) {
    const v = parseDim(t);
    if (v !== undefined) sym[d] = v;
  }
  return sym;
}

function inputSpec(c: InputChoice): InputSpec {
  return c.kind === 'npy' ? { kind: 'npy', bytes: c.bytes } : c.kind === 'random' ? { kind: 'random', seed: c.seed } : { kind: c.kind };
}

/**
 * The compute request for a form (check it with `validateForm` first): the document's `text`, the project's packed
 * functions, dims that were left empty omitted (a `.npy` input binds them), and `.npy` bytes of the outputs asked
 * for (the panel's "Save .npy").
 */
export function toRunRequest(form: RunForm, text: string, packed: Readonly<Record<string, string>>): RunRequest {
  const inputs: Record<string, InputSpec> = {};
  for (const [name, c] of Object.entries(form.inputs)) inputs[name] = inputSpec(c);
  return {
    kind: 'run', text, func: form.func, sym: boundDims(form), inputs, device: form.device,
    warmup: form.warmup, repeat: form.repeat, profile: form.profile, npy: true, packed: { ...packed },
  };
}

function runInputSpec(name: string, c: InputChoice): RunInputSpec {
  if (c.kind === 'npy') return { name, kind: 'npy', file: c.file };
  return c.kind === 'random' ? { name, kind: 'random', seed: c.seed } : { name, kind: c.kind };
}

/** The form as the run history stores it: `.npy` inputs by file name only (the bytes are not kept). */
export function toRunSettings(form: RunForm): RunSettings {
  return {
    func: form.func,
    sym: boundDims(form),
    inputs: Object.entries(form.inputs).map(([name, c]) => runInputSpec(name, c)),
    device: form.device,
    repeat: form.repeat,
    warmup: form.warmup,
  };
}

/**
 * Stored settings back as a partial form, to pass to `defaultForm` as `previous` (re-running a past run). `.npy`
 * inputs are left out, since their bytes were not kept: they get the default choice.
 */
export function formFromSettings(s: RunSettings): Partial<RunForm> {
  const sym: Record<string, string> = {};
  for (const [d, v] of Object.entries(s.sym)) sym[d] = String(v);
  const inputs: Record<string, InputChoice> = {};
  for (const i of s.inputs) {
    if (i.kind === 'random') inputs[i.name] = { kind: 'random', seed: i.seed ?? 0 };
    else if (i.kind !== 'npy') inputs[i.name] = { kind: i.kind };
  }
  const device = RUN_DEVICES.find((d) => d === s.device);
  return { func: s.func, sym, inputs, repeat: s.repeat, ...(s.warmup !== undefined ? { warmup: s.warmup } : {}), ...(device ? { device } : {}) };
}
