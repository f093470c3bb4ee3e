/**
 * The Electron main process: one window showing the renderer (dist/web) over the app:// scheme, the menu, native
 * open/save/export dialogs, atomic saves, the unsaved-work prompt and the kept window state. All security settings
 * come from security.ts as data (unit-tested); this file wires them to Electron. Build: `npm run build:electron` bundles it to
 * dist/electron/main.cjs (package.json "main").
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session } from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHANNELS } from './api.js';
import type { MenuAction } from './api.js';
import { CLOSE_BUTTONS, CloseGuard } from './close-guard.js';
import { exportFilters } from './export-format.js';
import { FileService } from './file-service.js';
import { menuTemplate } from './menu.js';
import { loadRecent, saveRecent } from './recent-files.js';
import {
  APP_SCHEME,
  appUrlToRelativePath,
  contentSecurityPolicy,
  ISOLATION_HEADERS,
  isAllowedNavigation,
  isAllowedRequest,
  mimeType,
  rendererSource,
  windowOptions,
} from './security.js';
import { clampWindowState, loadWindowState, saveWindowState } from './window-state.js';
import type { Rect } from './window-state.js';

const RENDERER_DIR = join(__dirname, '../web');
const PRELOAD = join(__dirname, 'preload.cjs');
const ICON = join(__dirname, '../../assets/icons/png/512x512.png');
const TVMSCRIPT_FILTERS = [
  { name: 'TVMScript', extensions: ['tvmscript', 'py'] },
  { name: 'All Files', extensions: ['*'] },
];
const source = rendererSource(app.isPackaged ? undefined : process.env['RELAX_STUDIO_DEV_URL']);
// Tests (e2e/electron.e2e.test.ts) run with a throwaway profile; a packaged app always uses the OS default.
if (!app.isPackaged && process.env['RELAX_STUDIO_USER_DATA']) app.setPath('userData', process.env['RELAX_STUDIO_USER_DATA']);
const userFile = (name: string): string => join(app.getPath('userData'), name);

let mainWindow: BrowserWindow | null = null;
let guard = new CloseGuard(); // one per window: a new window (macOS 'activate') starts clean
let files: FileService;

// Must run before 'ready': app:// behaves like https (secure origin, fetch, IndexedDB for dexie).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

/** Serves dist/web over app://relax-studio/, with the CSP header; anything outside it is a 404. */
async function serveApp(request: Request): Promise<Response> {
  const rel = appUrlToRelativePath(request.url);
  if (!rel) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(join(RENDERER_DIR, rel));
    return new Response(body, {
      headers: { 'Content-Type': mimeType(rel), 'Content-Security-Policy': contentSecurityPolicy(), ...ISOLATION_HEADERS },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

/** Session-wide rules: CSP header on every response, no remote requests, no permissions. */
function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const isolation = Object.fromEntries(Object.entries(ISOLATION_HEADERS).map(([k, v]) => [k, [v]]));
    const headers = { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()], ...isolation };
    callback({ responseHeaders: headers });
  });
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, source.origin) }));
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Every web contents (the window, and anything it might try to create): no navigation away, no windows, no webviews. */
function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, source.origin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, source.origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** True when an IPC message comes from our own page (not a frame that somehow loaded elsewhere). */
function fromApp(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  return url !== undefined && isAllowedNavigation(url, source.origin);
}

function send(action: MenuAction): void {
  mainWindow?.webContents.send(CHANNELS.menu, action);
}

function rebuildMenu(): void {
  const template = menuTemplate({
    platform: process.platform,
    recent: files.recentFiles(),
    send,
    closeWindow: () => mainWindow?.close(),
    clearRecent: () => files.clearRecent(),
    devTools: !app.isPackaged,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function registerIpc(): void {
  const guarded = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (event: IpcMainInvokeEvent, ...args: A): Promise<R | { kind: 'error'; message: string }> =>
      fromApp(event) ? fn(...args) : { kind: 'error', message: 'Refused: the request did not come from the app' };
  ipcMain.handle(CHANNELS.openFile, guarded((path?: unknown) => files.openFile(typeof path === 'string' ? path : undefined)));
  ipcMain.handle(CHANNELS.saveFile, guarded(async (path: unknown, text: unknown) => {
    const result = await files.saveFile(typeof path === 'string' ? path : null, String(text));
    guard.onSaveFinished(result.kind === 'ok');
    return result;
  }));
  ipcMain.handle(CHANNELS.saveFileAs, guarded(async (text: unknown, name: unknown) => {
    const result = await files.saveFileAs(String(text), typeof name === 'string' ? name : undefined);
    guard.onSaveFinished(result.kind === 'ok');
    return result;
  }));
  ipcMain.handle(CHANNELS.recentFiles, guarded(async () => files.recentFiles()));
  ipcMain.handle(CHANNELS.exportFile, guarded((data: unknown, name: unknown, kind: unknown) => files.exportFile(data, name, kind)));
  ipcMain.on(CHANNELS.setDirty, (event, dirty: unknown) => {
    if (!fromApp(event)) return;
    if (process.platform === 'darwin') mainWindow?.setDocumentEdited(dirty === true);
    if (guard.onDirtyChanged(dirty === true) === 'close') mainWindow?.close();
  });
  ipcMain.on(CHANNELS.setTitle, (event, title: unknown) => {
    if (fromApp(event) && typeof title === 'string') mainWindow?.setTitle(title.slice(0, 200));
  });
}

function createFileService(recent: Awaited<ReturnType<typeof loadRecent>>): FileService {
  return new FileService(
    {
      showOpenDialog: async () => {
        const r = await dialog.showOpenDialog(mainWindow!, { properties: ['openFile'], filters: TVMSCRIPT_FILTERS });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      showSaveDialog: async (suggestedName) => {
        const defaultPath = join(app.getPath('documents'), suggestedName);
        const r = await dialog.showSaveDialog(mainWindow!, { defaultPath, filters: TVMSCRIPT_FILTERS });
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      showExportDialog: async (suggestedName, kind) => {
        const defaultPath = join(app.getPath('documents'), suggestedName);
        const r = await dialog.showSaveDialog(mainWindow!, { defaultPath, filters: exportFilters(kind) });
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      onRecentChanged: (list) => {
        void saveRecent(userFile('recent-files.json'), list).catch(() => undefined);
        for (const f of list.slice(0, 1)) if (f.path) app.addRecentDocument(f.path);
        if (list.length === 0) app.clearRecentDocuments();
        rebuildMenu();
      },
    },
    recent,
  );
}

/** Asks Save / Don't Save / Cancel when the window closes with unsaved work. */
function onClose(win: BrowserWindow, event: Electron.Event): void {
  void saveWindowState(userFile('window-state.json'), { bounds: win.getNormalBounds(), maximized: win.isMaximized() }).catch(
    () => undefined,
  );
  if (guard.onCloseRequested() === 'close') return;
  event.preventDefault();
  const answer = dialog.showMessageBoxSync(win, {
    type: 'warning',
    buttons: [...CLOSE_BUTTONS],
    defaultId: 0,
    cancelId: 2,
    message: 'Save changes before closing?',
    detail: 'Your changes will be lost if you do not save them.',
  });
  const step = guard.onPromptAnswer(answer);
  if (step === 'close') win.close();
  else if (step === 'save-then-close') send({ type: 'file.save', thenClose: true });
}

async function createWindow(): Promise<void> {
  const saved = await loadWindowState(userFile('window-state.json'));
  const primary = screen.getPrimaryDisplay();
  const areas: Rect[] = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const win = new BrowserWindow(windowOptions({ preloadPath: PRELOAD, bounds: clampWindowState(saved, areas), icon: ICON }));
  mainWindow = win;
  guard = new CloseGuard();
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => onClose(win, event));
  win.on('closed', () => {
    mainWindow = null;
  });
  await win.loadURL(source.url);
}

async function main(): Promise<void> {
  await app.whenReady();
  protocol.handle(APP_SCHEME, serveApp);
  lockDownSession();
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));
  files = createFileService(await loadRecent(userFile('recent-files.json')));
  registerIpc();
  rebuildMenu();
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

main().catch((err: unknown) => {
  dialog.showErrorBox('Relax Studio could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
