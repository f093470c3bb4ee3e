// Atomic saves on a real temp folder: temp file + fsync + rename, permissions kept, and every failure leaves the
// old file intact with no temp file behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs/promises';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicWriteFile, NODE_FS, SaveError, tempPathFor } from './atomic-save.js';
import type { AtomicFs } from './atomic-save.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atomic-save-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Node's fs, recording calls, with one step made to fail. */
function spyFs(failAt?: 'open' | 'write' | 'sync' | 'rename'): { fs: AtomicFs; calls: string[] } {
  const calls: string[] = [];
  const boom = (step: string): never => {
    throw Object.assign(new Error(`${step} failed`), { code: step === 'write' ? 'ENOSPC' : 'EIO' });
  };
  const wrapped: AtomicFs = {
    async open(path, flags, mode) {
      calls.push(`open ${flags}`);
      if (failAt === 'open' && flags === 'wx') boom('open');
      const h = await NODE_FS.open(path, flags, mode);
      return {
        writeFile: async (data, enc) => {
          calls.push('write');
          await h.writeFile(data.slice(0, 3), enc); // a partial write before failing
          if (failAt === 'write') boom('write');
          await h.writeFile(data.slice(3), enc);
        },
        sync: async () => {
          calls.push('sync');
          if (failAt === 'sync') boom('sync');
          await h.sync();
        },
        close: async () => {
          calls.push('close');
          await h.close();
        },
      };
    },
    rename: async (a, b) => {
      calls.push('rename');
      if (failAt === 'rename') boom('rename');
      await fs.rename(a, b);
    },
    unlink: async (p) => {
      calls.push('unlink');
      await fs.unlink(p);
    },
    stat: (p) => fs.stat(p),
  };
  return { fs: wrapped, calls };
}

describe('atomicWriteFile', () => {
  it('writes a temp file in the same folder, fsyncs it, then renames it over the target', async () => {
    const target = join(dir, 'model.tvmscript');
    writeFileSync(target, 'old');
    const { fs: spy, calls } = spyFs();
    await atomicWriteFile(target, 'new text ✓', spy);
    expect(readFileSync(target, 'utf8')).toBe('new text ✓');
    expect(calls.slice(0, 5)).toEqual(['open wx', 'write', 'sync', 'close', 'rename']);
    expect(readdirSync(dir)).toEqual(['model.tvmscript']);
  });

  it('writes bytes exactly as given (an exported .npy), and a failed binary write keeps the old file', async () => {
    const target = join(dir, 'out.npy');
    const bytes = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x00, 0xff, 0xc3, 0x28]); // not valid UTF-8
    await atomicWriteFile(target, bytes);
    expect([...readFileSync(target)]).toEqual([...bytes]);
    const err = await atomicWriteFile(target, new Uint8Array([1, 2, 3, 4, 5]), spyFs('write').fs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SaveError);
    expect([...readFileSync(target)]).toEqual([...bytes]);
    expect(readdirSync(dir)).toEqual(['out.npy']);
  });

  it('creates a new file and keeps an existing file’s permissions', async () => {
    const fresh = join(dir, 'new.py');
    await atomicWriteFile(fresh, 'x = 1\n');
    expect(readFileSync(fresh, 'utf8')).toBe('x = 1\n');
    const target = join(dir, 'script.py');
    writeFileSync(target, 'old', { mode: 0o600 });
    await fs.chmod(target, 0o600);
    await atomicWriteFile(target, 'new');
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  for (const step of ['open', 'write', 'sync', 'rename'] as const) {
    it(`leaves the old file intact and no temp file when ${step} fails`, async () => {
      const target = join(dir, 'model.tvmscript');
      writeFileSync(target, 'precious');
      const { fs: spy } = spyFs(step);
      const err = await atomicWriteFile(target, 'replacement', spy).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SaveError);
      expect((err as Error).message).toMatch(/^Could not save model\.tvmscript: /);
      expect((err as Error).message).not.toContain('\n');
      expect(readFileSync(target, 'utf8')).toBe('precious');
      expect(readdirSync(dir)).toEqual(['model.tvmscript']);
    });
  }

  it('says why in words for common errors', async () => {
    const { fs: spy } = spyFs('write');
    await expect(atomicWriteFile(join(dir, 'a.py'), 'text', spy)).rejects.toThrow('Could not save a.py: the disk is full');
    await expect(atomicWriteFile(join(dir, 'missing', 'a.py'), 'text')).rejects.toThrow('Could not save a.py: the folder does not exist');
  });

  it('names temp files hidden and beside the target', () => {
    expect(tempPathFor('/home/u/m.py', 'abc')).toBe('/home/u/.m.py.abc.tmp');
  });
});
