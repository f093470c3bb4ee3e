/**
 * The application menu as a pure template: File (New, Open..., Open Recent, Save, Save As..., Close), Edit (Undo,
 * Redo, Cut, Copy, Paste, Delete, Select All) and View (zoom, Fit, Toggle Text Pane, Toggle Theme). Every document
 * action is sent to the renderer as a typed MenuAction (electron/api.ts); Close and Quit stay in the main process,
 * which prompts for unsaved work first.
 *
 * Edit accelerators are shown but not registered (`registerAccelerator: false`): the keystrokes go to the page, as
 * in a browser, so CodeMirror gets Ctrl+Z in the text pane and the graph gets it elsewhere, with one code path for
 * `npm start` and `npm run web`. Clicking the menu item sends the action instead.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, RecentFile } from './api.js';

/** What the menu needs from the main process. */
export interface MenuContext {
  /** process.platform: macOS gets the app menu and Cmd shortcuts. */
  readonly platform: string;
  readonly recent: readonly RecentFile[];
  /** Sends an action to the renderer of the focused window. */
  send(action: MenuAction): void;
  /** Closes the focused window (after the unsaved-work prompt). */
  closeWindow(): void;
  clearRecent(): void;
  /** Shows the Toggle Developer Tools item (development runs only). */
  readonly devTools: boolean;
}

type Item = MenuItemConstructorOptions;

/** The whole menu template. */
export function menuTemplate(ctx: MenuContext): Item[] {
  const mac = ctx.platform === 'darwin';
  const menus: Item[] = [fileMenu(ctx, mac), editMenu(ctx), viewMenu(ctx)];
  if (mac) menus.unshift({ role: 'appMenu' });
  if (mac) menus.push({ role: 'windowMenu' });
  return menus;
}

function action(label: string, a: MenuAction, ctx: MenuContext, accelerator?: string, register = true): Item {
  return {
    label,
    id: a.type,
    click: () => ctx.send(a),
    ...(accelerator ? { accelerator, registerAccelerator: register } : {}),
  };
}

function fileMenu(ctx: MenuContext, mac: boolean): Item {
  return {
    label: '&File',
    submenu: [
      action('New', { type: 'file.new' }, ctx, 'CmdOrCtrl+N'),
      action('Open...', { type: 'file.open' }, ctx, 'CmdOrCtrl+O'),
      { label: 'Open Recent', id: 'file.openRecent', submenu: recentMenu(ctx) },
      { type: 'separator' },
      action('Save', { type: 'file.save' }, ctx, 'CmdOrCtrl+S'),
      action('Save As...', { type: 'file.saveAs' }, ctx, 'CmdOrCtrl+Shift+S'),
      { type: 'separator' },
      { label: 'Close', id: 'file.close', accelerator: 'CmdOrCtrl+W', click: () => ctx.closeWindow() },
      ...(mac ? [] : [{ type: 'separator' } as Item, { role: 'quit' } as Item]),
    ],
  };
}

/** One item per recent file (its path as the label, so two files with one name are told apart). */
export function recentMenu(ctx: MenuContext): Item[] {
  if (ctx.recent.length === 0) return [{ label: 'No Recent Files', enabled: false }];
  return [
    ...ctx.recent.map((f) => ({ label: f.path ?? f.name, click: () => ctx.send({ type: 'file.openRecent', path: f.path ?? '' }) })),
    { type: 'separator' },
    { label: 'Clear Recently Opened', click: () => ctx.clearRecent() },
  ];
}

function editMenu(ctx: MenuContext): Item {
  const edit = (label: string, a: MenuAction, accelerator: string): Item => action(label, a, ctx, accelerator, false);
  return {
    label: '&Edit',
    submenu: [
      edit('Undo', { type: 'edit.undo' }, 'CmdOrCtrl+Z'),
      edit('Redo', { type: 'edit.redo' }, ctx.platform === 'darwin' ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
      { type: 'separator' },
      edit('Cut', { type: 'edit.cut' }, 'CmdOrCtrl+X'),
      edit('Copy', { type: 'edit.copy' }, 'CmdOrCtrl+C'),
      edit('Paste', { type: 'edit.paste' }, 'CmdOrCtrl+V'),
      edit('Delete', { type: 'edit.delete' }, 'Delete'),
      { type: 'separator' },
      edit('Select All', { type: 'edit.selectAll' }, 'CmdOrCtrl+A'),
    ],
  };
}

function viewMenu(ctx: MenuContext): Item {
  return {
    label: '&View',
    submenu: [
      action('Zoom In', { type: 'view.zoomIn' }, ctx, 'CmdOrCtrl+='),
      action('Zoom Out', { type: 'view.zoomOut' }, ctx, 'CmdOrCtrl+-'),
      action('Actual Size', { type: 'view.zoomReset' }, ctx, 'CmdOrCtrl+0'),
      action('Fit', { type: 'view.fit' }, ctx, 'CmdOrCtrl+Shift+F'),
      { type: 'separator' },
      action('Toggle Text Pane', { type: 'view.toggleTextPane' }, ctx, 'CmdOrCtrl+\\'),
      action('Toggle Theme', { type: 'view.toggleTheme' }, ctx, 'CmdOrCtrl+Shift+L'),
      ...(ctx.devTools ? [{ type: 'separator' } as Item, { role: 'toggleDevTools' } as Item] : []),
    ],
  };
}
