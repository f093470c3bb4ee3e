/**
 * Benchmark settings from the environment, shared by the suites (`BENCH_*` variables): bad values fail before any
 * benchmark runs, with what was expected.
 */

/** A comma-separated list, or `dflt` when the variable is unset or empty. */
export function envList(name: string, dflt: readonly string[]): string[] {
  const v = process.env[name];
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [...dflt];
}

/** A non-negative number, or `dflt` when the variable is unset or empty. */
export function envNum(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v}: expected a non-negative number`);
  return n;
}
