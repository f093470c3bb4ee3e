/**
 * `npm run bench`: runs the benchmarks in turn and prints their tables. Benchmarks are never tests (`npm test` does
 * not run them); this is run by hand and in CI's bench job.
 * - parser (bench/parser.ts): parse + check + print on generated 1k / 10k / 100k-binding modules.
 * - vm (bench/vm/run.ts): MLP, conv2d and matmul compiled by build() and run on our VM, beside tfjs-wasm and
 *   onnxruntime-node. See bench/README.md for what is measured and the environment variables.
 * - browser (bench/browser/run.ts): the same cases in Chromium, our VM on webgl2 / webgpu / the CPU path beside
 *   tfjs on webgl / webgpu / wasm, in one page.
 * `BENCH=parser`, `BENCH=vm` or `BENCH=browser` runs one of them (default: all, comma-separate to pick several).
 * The exit code is 1 when a goal fails or outputs disagree.
 */
import { runParserBench } from './parser.js';
import { runVmBench, vmSettings } from './vm/run.js';
import { browserSettings, runBrowserBench } from './browser/run.js';
import { runUiBench } from './ui/run.js';

const SUITES = ['parser', 'vm', 'browser', 'ui'] as const;

async function main(): Promise<number> {
  const chosen = (process.env['BENCH'] ?? SUITES.join(',')).split(',').map((s) => s.trim());
  for (const s of chosen)
    if (!(SUITES as readonly string[]).includes(s)) throw new Error(`BENCH=${s}: unknown benchmark (expected ${SUITES.join(', ')})`);
  const vm = chosen.includes('vm') ? vmSettings() : undefined; // bad settings fail before anything runs
  const browser = chosen.includes('browser') ? browserSettings() : undefined;
  let code = 0;
  if (chosen.includes('parser')) code = Math.max(code, runParserBench());
  if (vm) code = Math.max(code, await runVmBench(vm));
  if (browser) code = Math.max(code, await runBrowserBench(browser));
  if (chosen.includes('ui')) code = Math.max(code, await runUiBench());
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  },
);
