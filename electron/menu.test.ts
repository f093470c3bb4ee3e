// The menu template: every item the issue lists, each sending its typed action; Close stays in the main process.
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from './api.js';
import { isMenuAction } from './api.js';
import { menuTemplate } from './menu.js';
import type { MenuContext } from './menu.js';

type Item = MenuItemConstructorOptions;

function build(over: Partial<MenuContext> = {}) {
  const sent: MenuAction[] = [];
  const calls: string[] = [];
  const template = menuTemplate({
    platform: 'linux',
    recent: [],
    send: (a) => void sent.push(a),
    closeWindow: () => void calls.push('close'),
    clearRecent: () => void calls.push('clear'),
    devTools: false,
    ...over,
  });
  return { template, sent, calls };
}

const sub = (items: Item[], label: string): Item[] => items.find((m) => m.label?.replace('&', '') === label)!.submenu as Item[];
const labels = (items: Item[]) => items.filter((i) => i.type !== 'separator').map((i) => i.label ?? i.role);
const click = (item: Item) => (item.click as () => void)();

describe('menu template', () => {
  it('has File, Edit and View with the listed items', () => {
    const { template } = build();
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View']);
    expect(labels(sub(template, 'File'))).toEqual(['New', 'Open...', 'Open Recent', 'Save', 'Save As...', 'Close', 'quit']);
    expect(labels(sub(template, 'Edit'))).toEqual(['Undo', 'Redo', 'Cut', 'Copy', 'Paste', 'Delete', 'Select All']);
    expect(labels(sub(template, 'View'))).toEqual(['Zoom In', 'Zoom Out', 'Actual Size', 'Fit', 'Toggle Text Pane', 'Toggle Theme']);
  });

  it('sends a valid typed action for every item with an id, and closes in the main process', () => {
    const { template, sent, calls } = build();
    const items = template.flatMap((m) => m.submenu as Item[]).filter((i) => i.click && i.id);
    items.forEach(click);
    expect(sent.every(isMenuAction)).toBe(true);
    expect(sent.map((a) => a.type)).toEqual(items.map((i) => i.id).filter((id) => id !== 'file.close'));
    expect(calls).toEqual(['close']);
  });

  it('leaves Edit keystrokes to the page (text pane or graph), showing the accelerators only', () => {
    const edit = sub(build().template, 'Edit').filter((i) => i.type !== 'separator');
    expect(edit.every((i) => i.accelerator && i.registerAccelerator === false)).toBe(true);
    const file = sub(build().template, 'File').filter((i) => i.id && i.id !== 'file.openRecent');
    expect(file.every((i) => i.accelerator && i.registerAccelerator !== false)).toBe(true);
  });

  it('lists recent files and clears them', () => {
    const { template, sent, calls } = build({ recent: [{ path: '/m/mlp.tvmscript', name: 'mlp.tvmscript', at: 1 }] });
    const recent = sub(sub(template, 'File'), 'Open Recent');
    expect(labels(recent)).toEqual(['/m/mlp.tvmscript', 'Clear Recently Opened']);
    click(recent[0]!);
    click(recent[2]!);
    expect(sent).toEqual([{ type: 'file.openRecent', path: '/m/mlp.tvmscript' }]);
    expect(calls).toEqual(['clear']);
    expect(sub(sub(build().template, 'File'), 'Open Recent')).toEqual([{ label: 'No Recent Files', enabled: false }]);
  });

  it('adds the macOS app and window menus, and DevTools only in development', () => {
    const mac = build({ platform: 'darwin', devTools: true }).template;
    expect(mac[0]).toEqual({ role: 'appMenu' });
    expect(mac.at(-1)).toEqual({ role: 'windowMenu' });
    expect(labels(sub(mac, 'File'))).not.toContain('quit');
    expect(labels(sub(mac, 'View'))).toContain('toggleDevTools');
  });
});
