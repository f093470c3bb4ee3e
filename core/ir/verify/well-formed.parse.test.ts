// Verifier tests on parsed TVMScript: violations the parser lets through (loose mode) are reported with their WF
// code at the right source offsets, and every fixture in core/ir/fixtures verifies clean (no false positives).
// Skipped while the Relax builder (core/ir/parser/relax-builder.ts) is not in the tree.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ParseOptions, ParseResult } from '../parser/index.js';
import { verifyModule } from './well-formed.js';

type ParseFn = (text: string, opts?: ParseOptions) => ParseResult;
const parse: ParseFn | undefined = await import('../parser/index.js').then(
  (m: { parse?: ParseFn }) => m.parse,
  () => undefined,
);

const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
const HEADER = 'from tvm.script import ir as I\nfrom tvm.script import relax as R\nfrom tvm.script import tir as T\n\n';

function verifyText(text: string): { wf: Diagnostic[]; text: string } {
  const res = parse!(text, { loose: true });
  expect(res.module, JSON.stringify(res.diagnostics)).toBeDefined();
  return { wf: verifyModule(res.module!), text };
}

/** The source text a diagnostic's span covers. */
const at = (text: string, d: Diagnostic | undefined): string => (d?.span ? text.slice(d.span.start, d.span.end) : '<no span>');

describe.skipIf(!parse)('verifyModule on parsed TVMScript', () => {
  it('an annotation, an impure op and a return type that disagree (WF16, WF06, WF15)', () => {
    const src = `${HEADER}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), "float32")) -> R.Tensor((4,), "int32"):
        y: R.Tensor((5,), "float32") = x
        z = R.print(y, format="{}")
        return y
`;
    const { wf, text } = verifyText(src);
    expect(wf.map((d) => d.code)).toEqual(['WF16', 'WF06', 'WF15']);
    expect(at(text, wf[0])).toBe('y: R.Tensor((5,), "float32") = x');
    expect(at(text, wf[1])).toBe('R.print(y, format="{}")');
    expect(wf[2]!.message).toContain('the dtype is "int32" in the declared return and "float32" in the returned value');
  });

  it('a symbolic var declared with T.int64() but never defined (WF11)', () => {
    const src = `${HEADER}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n",), "float32")) -> R.Tensor(("n",), "float32"):
        m = T.int64()
        y = R.call_dps_packed("my.f", (x,), out_ty=R.Tensor((m,), "float32"))
        z = R.match_cast(y, R.Tensor((m,), "float32"))
        w = R.call_dps_packed("my.f", (z,), out_ty=R.Tensor((m,), "float32"))
        return x
`;
    const { wf, text } = verifyText(src);
    expect(wf.map((d) => d.code)).toEqual(['WF11']);
    expect(wf[0]!.message).toContain('`m`');
    expect(at(text, wf[0])).toBe('R.call_dps_packed("my.f", (x,), out_ty=R.Tensor((m,), "float32"))');
  });

  it('an impure packed call inside dataflow (WF05) and in a pure function (WF06)', () => {
    const src = `${HEADER}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), "float32")) -> R.Tensor((4,), "float32"):
        with R.dataflow():
            y = R.call_packed("my.print", x, ty_args=R.Tensor((4,), "float32"))
            R.output(y)
        z = R.call_packed("my.print", y, ty_args=R.Tensor((4,), "float32"))
        return z
`;
    const { wf, text } = verifyText(src);
    expect(wf.map((d) => d.code)).toEqual(['WF05', 'WF06']);
    expect(at(text, wf[0])).toContain('R.call_packed("my.print", x');
    expect(at(text, wf[1])).toContain('R.call_packed("my.print", y');
  });

  it('a call_tir to a missing function (WF09) and one with the wrong parameter count (WF10)', () => {
    const src = `${HEADER}@I.ir_module
class Module:
    @T.prim_func
    def copy(a: T.handle, b: T.handle):
        A = T.match_buffer(a, (4,), "float32")
        B = T.match_buffer(b, (4,), "float32")
        for i in range(4):
            B[i] = A[i]

    @R.function
    def main(x: R.Tensor((4,), "float32")) -> R.Tensor((4,), "float32"):
        cls = Module
        y = R.call_tir(cls.copy, (x, x), out_ty=R.Tensor((4,), "float32"))
        z = R.call_tir(cls.missing, (y,), out_ty=R.Tensor((4,), "float32"))
        return z
`;
    const res = parse!(src, { loose: true });
    const wf = res.module ? verifyModule(res.module) : [];
    const all = [...res.diagnostics.filter((d) => d.severity === 'error'), ...wf];
    const wf10 = wf.find((d) => d.code === 'WF10');
    expect(wf10).toBeDefined();
    expect(at(src, wf10)).toContain('R.call_tir(cls.copy');
    // The missing callee is reported by the parser (unknown name) or by WF09, at the call.
    const missing = all.find((d) => d.code === 'WF09' || /missing/.test(d.message));
    expect(missing).toBeDefined();
  });

  it('the RFC seed program: its call_packed in a pure function is WF06', () => {
    const seed = readFileSync(join(FIXTURES, 'rfc/seed.tvmscript'), 'utf8');
    const res = parse!(seed, { loose: true });
    if (!res.module) return;
    const wf = verifyModule(res.module);
    expect(wf.filter((d) => d.code !== 'WF06'), JSON.stringify(wf, null, 1)).toEqual([]);
  });

  for (const file of fixtureFiles()) {
    it(`fixture ${file} verifies clean`, () => {
      const text = readFileSync(file, 'utf8');
      const res = parse!(text, { loose: true });
      if (!res.module || res.diagnostics.some((d) => d.severity === 'error')) return; // the parser's business
      const wf = verifyModule(res.module);
      expect(wf.map((d) => `${d.code} ${d.message} @ ${at(text, d)}`)).toEqual([]);
    });
  }
});

/** Every *.tvmscript under core/ir/fixtures except `bad/` and the RFC dialect (which is pre-purity). */
function fixtureFiles(): string[] {
  const root = FIXTURES;
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'bad' && name !== 'rfc') walk(p);
      } else if (name.endsWith('.tvmscript')) out.push(p);
    }
  };
  try {
    walk(root);
  } catch {
    return [];
  }
  return out.sort();
}
