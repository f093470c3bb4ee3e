/**
 * Draws the app icon (three graph nodes wired into one, on an indigo-to-teal rounded square) and writes it as PNGs
 * at 16..1024 px (assets/icons/png/NxN.png, the Linux icon set), assets/icons/icon.png (1024 px), icon.ico
 * (Windows, PNG-compressed entries) and icon.icns (macOS, PNG entries). Pure TypeScript with node:zlib; the output is
 * deterministic, and electron/icons.test.ts fails when the checked-in files differ from what this script makes.
 *
 * Run: `npx tsx scripts/make-icons.ts`.
 */
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The PNG sizes written (the Linux icon set; the ICO and ICNS reuse them). */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

type Rgba = [number, number, number, number];
type Vec = readonly [number, number];

const NODES: readonly Vec[] = [[0.3, 0.3], [0.3, 0.7], [0.72, 0.5]];
const NODE_R = 0.105;
const EDGE_W = 0.055;
const TOP: Rgba = [76, 58, 178, 255];
const BOTTOM: Rgba = [14, 138, 146, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const AMBER: Rgba = [255, 184, 77, 255];

/** The colour at (u, v) in the unit square, before anti-aliasing. */
function shade(u: number, v: number): Rgba {
  if (!inRoundedSquare(u, v, 0.04, 0.2)) return [0, 0, 0, 0];
  const [a, b, c] = NODES as [Vec, Vec, Vec];
  if (dist(u, v, c) < NODE_R) return dist(u, v, c) < NODE_R * 0.55 ? AMBER : WHITE;
  if (dist(u, v, a) < NODE_R || dist(u, v, b) < NODE_R) return WHITE;
  if (segDist(u, v, a, c) < EDGE_W / 2 || segDist(u, v, b, c) < EDGE_W / 2) return [235, 240, 255, 255];
  return mix(TOP, BOTTOM, (u + v) / 2);
}

function inRoundedSquare(u: number, v: number, inset: number, r: number): boolean {
  const dx = Math.max(inset + r - u, 0, u - (1 - inset - r));
  const dy = Math.max(inset + r - v, 0, v - (1 - inset - r));
  return dx * dx + dy * dy <= r * r && u >= inset && u <= 1 - inset && v >= inset && v <= 1 - inset;
}

function dist(u: number, v: number, p: Vec): number {
  return Math.hypot(u - p[0], v - p[1]);
}

function segDist(u: number, v: number, p: Vec, q: Vec): number {
  const [dx, dy] = [q[0] - p[0], q[1] - p[1]];
  const t = Math.max(0, Math.min(1, ((u - p[0]) * dx + (v - p[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(u - (p[0] + t * dx), v - (p[1] + t * dy));
}

function mix(a: Rgba, b: Rgba, t: number): Rgba {
  return [0, 1, 2, 3].map((i) => a[i]! + (b[i]! - a[i]!) * t) as Rgba;
}

/** Renders the icon at `size` px as straight RGBA, supersampled (n x n samples per pixel). */
export function renderRgba(size: number): Uint8Array {
  const n = size >= 256 ? 2 : 4;
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size);
          const alpha = c[3] / 255;
          for (let i = 0; i < 3; i++) acc[i]! += c[i]! * alpha;
          acc[3]! += alpha;
        }
      }
      const o = (y * size + x) * 4;
      const coverage = acc[3]!;
      for (let i = 0; i < 3; i++) out[o + i] = coverage > 0 ? Math.round(acc[i]! / coverage) : 0;
      out[o + 3] = Math.round((coverage / (n * n)) * 255);
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes straight RGBA as a PNG (8-bit RGBA, no filtering, zlib level 9). */
export function encodePng(rgba: Uint8Array, size: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, filter 0, no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

/** An ICO holding PNG entries (Windows Vista and later read PNG-compressed icons). */
export function encodeIco(pngs: ReadonlyMap<number, Buffer>): Buffer {
  const sizes = [16, 24, 32, 48, 64, 128, 256].filter((s) => pngs.has(s));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((s, i) => {
    const e = 6 + 16 * i;
    const png = pngs.get(s)!;
    header.writeUInt8(s >= 256 ? 0 : s, e); // 0 means 256
    header.writeUInt8(s >= 256 ? 0 : s, e + 1);
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...sizes.map((s) => pngs.get(s)!)]);
}

/** ICNS element types holding PNG data, with their pixel size. */
const ICNS_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];

/** An ICNS holding PNG elements (macOS 10.7 and later). */
export function encodeIcns(pngs: ReadonlyMap<number, Buffer>): Buffer {
  const parts = ICNS_TYPES.filter(([, s]) => pngs.has(s)).map(([type, s]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + pngs.get(s)!.length, 4);
    return Buffer.concat([head, pngs.get(s)!]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** Every icon file, by path relative to assets/icons/. */
export function renderIcons(): Map<string, Buffer> {
  const pngs = new Map<number, Buffer>(ICON_SIZES.map((s) => [s, encodePng(renderRgba(s), s)]));
  const files = new Map<string, Buffer>();
  for (const [s, png] of pngs) files.set(`png/${s}x${s}.png`, png);
  files.set('icon.png', pngs.get(1024)!);
  files.set('icon.ico', encodeIco(pngs));
  files.set('icon.icns', encodeIcns(pngs));
  return files;
}

/** Writes every icon under `dir`. */
export function writeIcons(dir: string): string[] {
  const written: string[] = [];
  for (const [rel, data] of renderIcons()) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    written.push(rel);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../assets/icons/', import.meta.url));
  process.stdout.write(`wrote ${writeIcons(dir).length} icon files to assets/icons/\n`);
}
