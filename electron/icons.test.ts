// The packaged icons: checked in, valid PNG/ICO/ICNS, and identical to what scripts/make-icons.ts draws (drift check).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ICON_SIZES, renderIcons } from '../scripts/make-icons.js';

const ICONS = new URL('../assets/icons/', import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, ICONS));

describe('app icons', () => {
  it('are PNGs of each size', () => {
    for (const s of ICON_SIZES) {
      const png = read(`png/${s}x${s}.png`);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([s, s]);
    }
  });

  it('include a Windows ICO and a macOS ICNS whose headers match their contents', () => {
    const ico = read('icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 7]);
    const last = 6 + 16 * 6;
    expect(ico.readUInt32LE(last + 8) + ico.readUInt32LE(last + 12)).toBe(ico.length);
    const icns = read('icon.icns');
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });

  it('are what scripts/make-icons.ts draws (run `npx tsx scripts/make-icons.ts` after changing it)', () => {
    for (const [rel, data] of renderIcons()) expect(read(rel).equals(data), rel).toBe(true);
  });
});
