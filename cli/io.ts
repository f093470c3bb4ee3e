/**
 * What the command touches outside itself: output streams and files. `main()` takes an `Io` so tests run it
 * in-process and capture everything; `nodeIo()` is the real one. Standard output is buffered in chunks, so that
 * thousands of small files cost a handful of writes, and flushed at the end (and whenever a chunk fills).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The file's text; throws (with the system's reason) when it cannot be read. `-` is standard input. */
  readFile(path: string): string;
  /** Writes a file, creating its folder; throws when it cannot. */
  writeFile(path: string, text: string): void;
  /** Writes out anything buffered. */
  flush(): void;
}

const CHUNK = 1 << 16;

/** Buffers writes to one stream and passes them on in chunks. */
class BufferedStream {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: (text: string) => void) {}
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    this.sink(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** The process's streams and the file system. */
export function nodeIo(): Io {
  const out = new BufferedStream((t) => process.stdout.write(t));
  const err = new BufferedStream((t) => process.stderr.write(t));
  return {
    stdout: (t) => out.write(t),
    // Diagnostics go out in order with the output they belong to: flush stdout first.
    stderr: (t) => {
      out.flush();
      err.write(t);
      err.flush();
    },
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
    writeFile: (path, text) => {
      const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
      if (slash > 0) mkdirSync(path.slice(0, slash), { recursive: true });
      writeFileSync(path, text);
    },
    flush: () => {
      out.flush();
      err.flush();
    },
  };
}
