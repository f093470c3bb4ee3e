/**
 * Runs the `relax-studio` command in-process for tests: real files, captured stdout and stderr.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../cli/main.js';
import type { Io } from '../cli/io.js';
import { readNpy, writeNpy } from '../core/vm/npy.js';
import type { Tensor } from '../core/vm/tensor.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs main(argv) over the real file system, capturing the streams. */
export async function cli(argv: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, t) => {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, t);
    },
    flush: () => {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'relax-studio-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a tensor as `dir/name.npy` and returns the path. */
export function saveTensor(dir: string, name: string, t: Tensor): string {
  const p = join(dir, `${name}.npy`);
  writeFileSync(p, writeNpy(t));
  return p;
}

/** Reads `dir/outputN.npy`. */
export function loadOutput(dir: string, index: number): Tensor {
  return readNpy(readFileSync(join(dir, `output${index}.npy`)));
}
