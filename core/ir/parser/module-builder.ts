/**
 * Module level of TVMScript: imports and `# from tvm.script import ...` header comments (namespace aliases),
 * the `@I.ir_module` class (or bare top-level `@R.function` / `@T.prim_func` defs), `I.module_attrs`,
 * `I.module_global_infos`, module-level `M = TypeVar("M")`, and `metadata = tvm.ir.load_json("""...""")`.
 * Function names become GlobalVars before any body is built; Relax signatures are built next, then bodies
 * (Relax here, PrimFuncs by tir-builder.ts). Other top-level Python (prints, `mod.show()`) is ignored.
 */
import type { PyClassDef, PyExpr, PyFunctionDef, PyModule, PyStmt } from './pyast.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { AttrValue } from '../attrs.js';
import type { BaseFunc, GlobalInfo, IRModule } from '../module.js';
import type { ModuleCtx } from './relax-context.js';
import type { RelaxSig } from './relax-function.js';
import { irModule } from '../module.js';
import { Aliases, FnBuilder } from './relax-context.js';
import { SI } from '../relax/nodes.js';
import { buildRelaxBody, buildRelaxSignature, decoratorPath, signatureSInfo } from './relax-function.js';
import { dictAttr, toAttr } from './relax-attrs.js';
import { parsePython } from './py-parser.js';
import { buildPrimFunc } from './tir-builder.js';

const NAMESPACES: Readonly<Record<string, readonly string[]>> = {
  relax: ['R'], tir: ['T'], tirx: ['T'], ir: ['I'], ir_module: ['I', 'ir_module'],
};

/** Records what an import statement binds (`from tvm.script import relax as R`, `import tvm`, ...). */
function addImport(s: PyStmt & { kind: 'Import' }, aliases: Aliases): void {
  for (const n of s.names) {
    const local = n.asname ?? n.name.split('.')[0]!;
    if (s.module === null) {
      if (n.name === 'tvm' || n.name.startsWith('tvm.')) aliases.set(local, n.asname ? n.name.split('.') : ['tvm']);
      continue;
    }
    if (!/^tvm(\.relax|\.tirx)?\.script\b/.test(s.module)) continue;
    const ns = NAMESPACES[n.name];
    if (ns) aliases.set(local, ns);
  }
}

/** Header comments like `# from tvm.script import tirx as T` bind aliases as the import would. */
function addHeaderComments(py: PyModule, aliases: Aliases): void {
  for (const c of py.comments) {
    const text = c.text.trim();
    if (!/^(from\s+tvm|import\s+tvm)/.test(text)) continue;
    const parsed = parsePython(text, { loose: true });
    for (const s of parsed.module.body) if (s.kind === 'Import') addImport(s, aliases);
  }
}

/** RFC spellings (subscript types, R.outputs, match_shape, @R.func, call_tir with a list, T.var). */
const RFC_MARKERS = [
  /\.Tensor\s*\[/, /\.outputs\s*\(/, /\.match_shape\s*\(/, /@\s*\w+\.func\s*$/m, /@\s*tvm\.script\.ir_module/,
  /\.call_tir\s*\(\s*[\w.]+\s*,\s*\[/, /\bT\.var\s*\(/,
];

/** True when the text uses the 2022 RFC dialect, where undeclared shape names are implicit symbolic vars. */
export function isRfcDialect(text: string): boolean {
  return RFC_MARKERS.some((re) => re.test(text));
}

function isModuleClass(s: PyStmt, aliases: Aliases): s is PyClassDef {
  if (s.kind !== 'ClassDef') return false;
  return s.decorators.some((d) => {
    const p = aliases.qualName(d.expr.kind === 'Call' ? d.expr.func : d.expr)?.join('.');
    return p === 'I.ir_module' || p === 'ir_module';
  });
}

function isFuncDef(s: PyStmt, mod: Pick<ModuleCtx, 'aliases'>): boolean {
  if (s.kind !== 'FunctionDef') return false;
  const p = decoratorPath(s, mod as ModuleCtx);
  return p === 'R.function' || p === 'R.func' || p === 'T.prim_func';
}

/** `M = TypeVar("M")` names and the `metadata = tvm.ir.load_json("""...""")` payload. */
function scanAssigns(stmts: readonly PyStmt[], typeVars: Set<string>): string | undefined {
  let metadata: string | undefined;
  for (const s of stmts) {
    if (s.kind !== 'Assign' || s.targets.length !== 1 || s.targets[0]!.kind !== 'Name' || s.value.kind !== 'Call') continue;
    const name = s.targets[0]!.id;
    const f = s.value.func;
    const a0 = s.value.args[0];
    const callee = f.kind === 'Name' ? f.id : f.kind === 'Attribute' ? f.attr : '';
    if (callee === 'TypeVar') typeVars.add(name);
    else if (name === 'metadata' && callee === 'load_json' && a0?.kind === 'Constant' && a0.valueKind === 'str') metadata = a0.value as string;
  }
  return metadata;
}

interface ModuleParts {
  name: string;
  defs: PyFunctionDef[];
  body: readonly PyStmt[];
}

function findModule(py: PyModule, aliases: Aliases, diags: DiagnosticBag): ModuleParts | undefined {
  const cls = py.body.find((s): s is PyClassDef => isModuleClass(s, aliases));
  if (cls) return { name: cls.name, defs: [], body: cls.body };
  const defs = py.body.filter((s): s is PyFunctionDef => isFuncDef(s, { aliases }));
  if (defs.length) return { name: 'Module', defs, body: [] };
  diags.warning('R241', 'TVMScript text holds an `@I.ir_module` class or `@R.function` / `@T.prim_func` defs. However, none was found.', { start: 0, end: 0 });
  return undefined;
}

/** Builds the module; returns undefined only when the text has no module at all. */
export function buildModule(py: PyModule, text: string, diags: DiagnosticBag): IRModule | undefined {
  const aliases = new Aliases();
  for (const s of py.body) if (s.kind === 'Import') addImport(s, aliases);
  addHeaderComments(py, aliases);
  const parts = findModule(py, aliases, diags);
  if (!parts) return irModule('Module', new Map());
  const typeVarNames = new Set<string>();
  const metadata = scanAssigns(py.body, typeVarNames) ?? scanAssigns(parts.body, typeVarNames);
  const mod: ModuleCtx = {
    text, diags, aliases, rfc: isRfcDialect(text), globals: new Map(), moduleName: parts.name, typeVarNames, counters: { errors: 0 },
  };
  const extra = readClassBody(parts, mod);
  const functions = buildFunctions(parts.defs, mod);
  return irModule(parts.name, functions, { ...extra, ...(metadata !== undefined ? { metadata } : {}) });
}

type ModuleExtra = { attrs?: IRModule['attrs']; globalInfos?: IRModule['globalInfos'] };

/** Sorts the class body into function defs and module-level I.* calls. */
function readClassBody(parts: ModuleParts, mod: ModuleCtx): ModuleExtra {
  const fb = new FnBuilder(mod);
  const out: ModuleExtra = {};
  for (const s of parts.body) {
    if (isFuncDef(s, mod)) parts.defs.push(s as PyFunctionDef);
    else if (s.kind === 'Expr' && s.value.kind === 'Call') moduleCall(s.value, out, fb);
    else if (s.kind === 'Pass' || s.kind === 'ErrorStmt' || (s.kind === 'Expr' && s.value.kind === 'Constant')) continue;
    else if (s.kind === 'Assign' && s.targets[0]?.kind === 'Name' && s.targets[0].id === 'metadata') continue;
    else if (s.kind === 'FunctionDef' && /^[RTI]\./.test(decoratorPath(s, mod) ?? '')) {
      fb.error('R242', `A module function is decorated @R.function or @T.prim_func. However, \`@${decoratorPath(s, mod)!}\` was found on \`${s.name}\`.`, s.nameSpan);
    } else if (s.kind === 'FunctionDef') {
      fb.warning('R242', `An ir_module class holds @R.function / @T.prim_func defs. However, the def \`${s.name}\` has neither decorator; it is skipped.`, s.nameSpan);
    } else {
      fb.error('R242', `An ir_module class holds function defs and I.module_attrs / I.module_global_infos. However, a Python ${s.kind} statement was found.`, s.span);
    }
  }
  return out;
}

function moduleCall(e: PyExpr & { kind: 'Call' }, out: ModuleExtra, fb: FnBuilder): void {
  const path = fb.mod.aliases.qualName(e.func)?.join('.');
  const d = e.args[0];
  if ((path === 'I.module_attrs' || path === 'I.module_global_infos') && (e.args.length !== 1 || d?.kind !== 'Dict')) {
    fb.error('R243', `${path} takes one dict literal. However, \`${fb.src(e.span)}\` was written.`, e.span);
    return;
  }
  if (path === 'I.module_attrs' && d?.kind === 'Dict') {
    const attrs = dictAttr(d, fb);
    if (typeof attrs === 'object' && attrs && 'kind' in attrs && attrs.kind === 'attr.Dict') out.attrs = attrs;
  } else if (path === 'I.module_global_infos' && d?.kind === 'Dict') {
    out.globalInfos = d.keys.map((k, i) => [k && k.kind === 'Constant' ? String(k.value) : '', globalInfoList(d.values[i]!, fb)] as const);
  } else {
    fb.error('R242', `An ir_module class holds function defs and I.module_attrs / I.module_global_infos. However, \`${fb.src(e.span)}\` was found.`, e.span);
  }
}

function globalInfoList(e: PyExpr, fb: FnBuilder): GlobalInfo[] {
  const items = e.kind === 'List' || e.kind === 'Tuple' ? e.elts : [e];
  return items.map((x) => {
    if (x.kind !== 'Call') {
      fb.error('R243', `Global infos are calls such as I.vdevice("cuda", 0). However, \`${fb.src(x.span)}\` was found.`, x.span);
      return { kind: 'ir.GlobalInfo', ctor: fb.src(x.span), args: [], kwargs: [], span: x.span };
    }
    const path = fb.mod.aliases.qualName(x.func)?.join('.');
    const ctor = path === 'I.vdevice' ? 'vdevice' : path === 'I.dummy_global_info' ? 'dummy' : fb.src(x.func.span);
    const args: AttrValue[] = x.args.map((a) => toAttr(a, fb));
    const kwargs = x.keywords.map((k) => [k.name ?? '**', toAttr(k.value, fb)] as const);
    return { kind: 'ir.GlobalInfo', ctor, args, kwargs, span: x.span };
  });
}

/** Registers every function name, builds Relax signatures, then every body, in source order. */
function buildFunctions(defs: readonly PyFunctionDef[], mod: ModuleCtx): Map<string, BaseFunc> {
  const unique: PyFunctionDef[] = [];
  for (const d of defs) {
    const first = mod.globals.get(d.name);
    if (first) {
      mod.counters.errors++;
      mod.diags.error('R240', `Function names in a module are unique. However, \`${d.name}\` is defined twice.`, d.nameSpan, [{ span: first.span, message: 'first defined here' }]);
      continue;
    }
    const kind = decoratorPath(d, mod) === 'T.prim_func' ? 'tir' : 'relax';
    mod.globals.set(d.name, { kind, sinfo: SI.func(undefined, SI.object(), kind === 'tir'), span: d.nameSpan });
    unique.push(d);
  }
  const sigs = new Map<string, RelaxSig>();
  for (const d of unique) {
    if (mod.globals.get(d.name)!.kind !== 'relax') continue;
    const sig = guarded(mod, d, () => buildRelaxSignature(d, mod));
    if (!sig) continue;
    sigs.set(d.name, sig);
    mod.globals.get(d.name)!.sinfo = signatureSInfo(sig);
  }
  const out = new Map<string, BaseFunc>();
  for (const d of unique) {
    const sig = sigs.get(d.name);
    const fn = sig ? guarded(mod, d, () => buildRelaxBody(sig)) : mod.globals.get(d.name)!.kind === 'tir' ? guarded(mod, d, () => buildTir(d, mod)) : undefined;
    if (!fn) continue;
    out.set(d.name, fn);
    if (fn.kind === 'relax.Function' && !sig?.ret) mod.globals.get(d.name)!.sinfo = SI.func(fn.params.map((p) => p.sinfo), fn.retSInfo, fn.isPure);
  }
  return out;
}

function buildTir(d: PyFunctionDef, mod: ModuleCtx): BaseFunc | undefined {
  return buildPrimFunc(d, { diags: mod.diags, tAliases: mod.aliases.tNames(), implicitVars: mod.rfc, text: mod.text });
}

/** Runs one function's build; a builder bug becomes R299 for that function, and the others still build. */
function guarded<T>(mod: ModuleCtx, d: PyFunctionDef, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    mod.counters.errors++;
    mod.diags.error('R299', `Building function \`${d.name}\` must not fail. However, the builder threw: ${err instanceof Error ? err.message : String(err)}.`, d.nameSpan);
    return undefined;
  }
}
