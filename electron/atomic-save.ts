/**
 * Atomic saves: write the text (or bytes) to a temporary file in the same folder, fsync it, then rename it over the
 * target. A rename within one folder (one file system) is atomic on POSIX and replaces the file in one step on Windows, so a
 * crash, a full disk or a failed write leaves either the old file or the new one, never half of each. The temporary
 * file is removed on failure. The file system calls are injectable so the tests can make any step fail.
 */
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The file-system calls an atomic save makes (a subset of node:fs/promises). */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<{
    writeFile(data: string | Uint8Array, encoding: 'utf8'): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ mode: number }>;
}

/** Node's file system, the default. */
export const NODE_FS: AtomicFs = nodeFs as unknown as AtomicFs;

/** A save that failed, with a one-line message naming the file and the reason. */
export class SaveError extends Error {
  override readonly name = 'SaveError';
}

/** The temporary file's path: hidden, beside the target, unique per attempt. */
export function tempPathFor(target: string, suffix = randomBytes(6).toString('hex')): string {
  return join(dirname(target), `.${basename(target)}.${suffix}.tmp`);
}

/**
 * Writes `data` to `target` atomically (temp file, fsync, rename) and keeps the old file's permissions. Text is
 * written as UTF-8, bytes as they are (an exported `.npy`). Throws a SaveError with a one-line message on failure;
 * the old file is then untouched and no temp file remains.
 */
export async function atomicWriteFile(target: string, data: string | Uint8Array, fs: AtomicFs = NODE_FS): Promise<void> {
  const mode = await existingMode(target, fs);
  const temp = tempPathFor(target);
  try {
    const handle = await fs.open(temp, 'wx', mode ?? 0o644);
    try {
      await handle.writeFile(data, 'utf8'); // the encoding applies to text only
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.unlink(temp).catch(() => undefined);
    throw new SaveError(`Could not save ${basename(target)}: ${reason(err)}`);
  }
  await syncFolder(dirname(target), fs);
}

/** Flushes the folder entry so the rename itself survives a power cut (POSIX; best effort, Windows cannot). */
async function syncFolder(folder: string, fs: AtomicFs): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const dir = await fs.open(folder, 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // Some file systems refuse fsync on a folder; the file itself is already durable.
  }
}

async function existingMode(target: string, fs: AtomicFs): Promise<number | undefined> {
  try {
    return (await fs.stat(target)).mode & 0o777;
  } catch {
    return undefined; // a new file
  }
}

/** A short human reason for a file-system error (the errno text without the stack). */
export function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'the disk is full',
    EROFS: 'the disk is read-only',
    ENOENT: 'the folder does not exist',
    EISDIR: 'it is a folder',
    EXDEV: 'the temporary file is on another disk',
  };
  if (typeof code === 'string' && known[code]) return known[code];
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? 'unknown error';
}
