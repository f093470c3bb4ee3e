// Finds the Electron binary without triggering a download (requiring the `electron` package in plain Node tries to
// download it): ELECTRON_PATH, else node_modules/electron/dist/<path.txt>. Used by `npm start` and `npm run dist`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../', import.meta.url));

/** The Electron executable's path, or null when there is none on this machine. */
export function findElectron() {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const pkg = join(REPO, 'node_modules/electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const exe = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/** One line saying why there is no Electron here and what to do. */
export const NO_ELECTRON =
  'no Electron binary here (node_modules/electron/dist is missing and ELECTRON_PATH is unset): run `npx install-electron` where the network allows it, or use `npm run web`';
