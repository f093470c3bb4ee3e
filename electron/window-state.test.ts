// Window-state restore: saved bounds are clamped to today's displays; corrupt files give the default size.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clampWindowState, DEFAULT_SIZE, loadWindowState, parseWindowState, saveWindowState } from './window-state.js';

const PRIMARY = { x: 0, y: 0, width: 1920, height: 1040 };
const RIGHT = { x: 1920, y: 0, width: 1280, height: 1000 };
const state = (x: number, y: number, width: number, height: number, maximized = false) => ({ bounds: { x, y, width, height }, maximized });

describe('clampWindowState', () => {
  it('uses the default size, centered by the OS, when nothing is saved', () => {
    expect(clampWindowState(null, [PRIMARY])).toEqual(DEFAULT_SIZE);
    expect(clampWindowState(null, [{ x: 0, y: 0, width: 1024, height: 700 }])).toEqual({ width: 1024, height: 700 });
  });

  it('restores bounds that are on a display', () => {
    expect(clampWindowState(state(100, 80, 1200, 800), [PRIMARY])).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
    expect(clampWindowState(state(2000, 50, 1000, 700), [PRIMARY, RIGHT])).toEqual({ x: 2000, y: 50, width: 1000, height: 700 });
  });

  it('re-centers a window saved on a monitor that is gone', () => {
    expect(clampWindowState(state(2000, 50, 1000, 700), [PRIMARY])).toEqual({ x: 460, y: 170, width: 1000, height: 700 });
    expect(clampWindowState(state(-5000, -5000, 800, 600), [PRIMARY])).toEqual({ x: 560, y: 220, width: 800, height: 600 });
  });

  it('re-centers a window whose title bar is off screen', () => {
    expect(clampWindowState(state(100, -300, 800, 600), [PRIMARY])).toEqual({ x: 560, y: 220, width: 800, height: 600 });
    expect(clampWindowState(state(1900, 100, 800, 600), [PRIMARY])).toEqual({ x: 560, y: 220, width: 800, height: 600 });
  });

  it('shrinks a window larger than its display and grows one below the minimum', () => {
    expect(clampWindowState(state(0, 0, 4000, 3000), [PRIMARY])).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    expect(clampWindowState(state(10, 10, 100, 50), [PRIMARY])).toEqual({ x: 10, y: 10, width: 640, height: 420 });
  });

  it('sizes to the display the window overlaps most', () => {
    const r = clampWindowState(state(1900, 10, 1900, 1000), [PRIMARY, RIGHT]);
    expect(r).toEqual({ x: 1900, y: 10, width: 1280, height: 1000 });
  });
});

describe('stored state', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'window-state-'));
    dirs.push(d);
    return d;
  };

  it('round-trips through a file', async () => {
    const file = join(tmp(), 'window-state.json');
    await saveWindowState(file, state(10, 20, 900, 700, true));
    expect(await loadWindowState(file)).toEqual(state(10, 20, 900, 700, true));
  });

  it('treats a missing or corrupt file as nothing saved', async () => {
    const d = tmp();
    expect(await loadWindowState(join(d, 'none.json'))).toBeNull();
    writeFileSync(join(d, 'bad.json'), '{"bounds": {"x": "left"');
    expect(await loadWindowState(join(d, 'bad.json'))).toBeNull();
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: NaN, height: 1 } })).toBeNull();
    expect(parseWindowState([1, 2])).toBeNull();
  });
});
