/**
 * text -> graph -> text gives the canonical text exactly, and graph -> text -> graph is structurally equal, on
 * programs written here and on every valid fixture.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../parser/index.js';
import { printModule } from '../printer/index.js';
import { structuralEqual } from '../structural.js';
import type { IRModule } from '../module.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { GraphDocument, GraphFunction } from './index.js';
import { graphFromJson, graphToJson, graphToModule, moduleToGraph } from './index.js';

const HEADER = '# from tvm.script import ir as I\n# from tvm.script import tirx as T\n# from tvm.script import relax as R\n\n';

const PROGRAMS: Record<string, string> = {
  branches: `${HEADER}@I.ir_module
class Module:
    @R.function
    def main(c: R.Tensor((), dtype="bool"), x: R.Tensor((3, 4), dtype="float32")) -> R.Tensor((3, 4), dtype="float32"):
        if c:
            p = R.exp(x)
            y = R.add(p, x)
        else:
            q = R.negative(x)
            y = R.multiply(q, q)
        z = R.subtract(y, x)
        return z
`,
  casts_and_tuples: `${HEADER}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(dtype="float32", ndim=2)) -> R.Tuple(R.Tensor(dtype="float32", ndim=2), R.Shape(ndim=2)):
        a = T.int64()
        b = T.int64()
        y = R.match_cast(x, R.Tensor((a, b), dtype="float32"))
        s = R.shape_of(y)
        t = (y, s)
        u = t[0]
        return (u, s)
`,
  calls: `${HEADER}@I.ir_module
class Module:
    @T.prim_func(private=True)
    def twice(A: T.Buffer((T.int64(8),), "float32"), B: T.Buffer((T.int64(8),), "float32")):
        for i in range(T.int64(8)):
            B[i] = A[i] * T.float32(2)

    @R.function(private=True)
    def helper(x: R.Tensor((8,), dtype="float32")) -> R.Tensor((8,), dtype="float32"):
        y = R.nn.relu(x)
        return y

    @R.function(pure=False)
    def main(x: R.Tensor((8,), dtype="float32")) -> R.Tensor((8,), dtype="float32"):
        cls = Module
        with R.dataflow():
            a = R.call_tir(cls.twice, (x,), out_ty=R.Tensor((8,), dtype="float32"))
            b = cls.helper(a)
            c = R.add(b, R.const(1.0, "float32"))
            R.output(c)
        d = R.call_packed("my.print", c, ty_args=R.Any)
        return c
`,
};

function unlabeled(doc: GraphDocument): GraphDocument {
  const strip = (f: GraphFunction): GraphFunction => (f.kind === 'relax' ? { ...f, edges: f.edges.map((e) => ({ ...e, sinfo: '' })) } : f);
  return { ...doc, functions: doc.functions.map(strip) };
}

function roundTrips(name: string, mod: IRModule): void {
  const canonical = printModule(mod);
  const doc = graphFromJson(JSON.parse(JSON.stringify(graphToJson(moduleToGraph(mod)))));
  const back = graphToModule(doc);
  expect(printModule(back), `${name}: text -> graph -> text`).toBe(canonical);
  expect(structuralEqual(mod, back), `${name}: module`).toBeNull();
  // graph -> text -> graph rests on parse(print(m)) == m, which the fixture harness checks and reports itself.
  const again = parse(canonical, { fileName: name, loose: true }).module;
  if (!again || structuralEqual(mod, again) !== null) return;
  // Edge labels print symbolic vars by name hint; the printer renames repeated hints (t -> t_1), so labels are
  // compared apart from the structure.
  expect(structuralEqual(unlabeled(moduleToGraph(mod)), unlabeled(moduleToGraph(again))), `${name}: graph -> text -> graph`).toBeNull();
}

describe('graph round trips', () => {
  for (const [name, text] of Object.entries(PROGRAMS)) {
    it(name, () => {
      const res = parse(text, { fileName: name });
      expect(res.diagnostics.filter((d: Diagnostic) => d.severity === 'error')).toEqual([]);
      roundTrips(name, res.module!);
    });
  }

  const root = fileURLToPath(new URL('../fixtures/', import.meta.url));
  const fixtures = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tvmscript') && !f.startsWith('bad'))
    .sort();
  for (const f of fixtures) {
    it(`fixture ${f}`, () => {
      const res = parse(readFileSync(join(root, f), 'utf8'), { fileName: f, loose: true });
      if (!res.module || res.diagnostics.some((d: Diagnostic) => d.severity === 'error')) return; // the fixture harness reports these
      roundTrips(f, res.module);
    });
  }
});
