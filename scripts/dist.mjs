// `npm run dist`: stages the built app (dist/web, dist/electron, the window icon) with a dependency-free package.json
// in out/app, then runs electron-builder (electron-builder.yml) for the current platform. Electron itself comes from
// node_modules/electron/dist when it is installed, else electron-builder downloads it; where that cannot work the
// failure is one line on stderr (exit 1), not a stack.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, findElectron } from './electron-binary.mjs';

const STAGE = join(REPO, 'out/app');

function fail(message) {
  process.stderr.write(`npm run dist: ${message}\n`);
  process.exit(1);
}

function stage() {
  for (const need of ['dist/web/index.html', 'dist/electron/main.cjs', 'dist/electron/preload.cjs']) {
    if (!existsSync(join(REPO, need))) fail(`${need} is missing: run \`npm run build:web && npm run build:electron\` first`);
  }
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  const appPkg = {
    name: pkg.name,
    productName: 'Relax Studio',
    version: pkg.version,
    description: pkg.description,
    author: 'Relax Studio contributors',
    homepage: 'https://tvm.apache.org/',
    main: 'dist/electron/main.cjs',
  };
  writeFileSync(join(STAGE, 'package.json'), `${JSON.stringify(appPkg, null, 2)}\n`);
  cpSync(join(REPO, 'dist/web'), join(STAGE, 'dist/web'), { recursive: true });
  cpSync(join(REPO, 'dist/electron'), join(STAGE, 'dist/electron'), { recursive: true });
  cpSync(join(REPO, 'assets/icons/png/512x512.png'), join(STAGE, 'assets/icons/png/512x512.png'));
  return pkg.devDependencies?.electron?.replace(/^[^\d]*/, '') ?? 'unknown';
}

/** The first meaningful line of an error, with a hint when the cause is the network. */
function summarize(err, electronVersion) {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n').map((l) => l.trim()).find((l) => l) ?? 'unknown error';
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|status code 40[34]/.test(text)) {
    return `cannot download Electron ${electronVersion} or the packaging tools for ${process.platform}-${process.arch} (no network: ${first}); run it where github.com is reachable`;
  }
  return first;
}

const electronVersion = stage();
const { build } = await import('electron-builder').catch(() => fail('electron-builder is not installed (npm install)'));
const electronDist = findElectron() ? join(REPO, 'node_modules/electron/dist') : undefined;
try {
  const files = await build({
    projectDir: REPO,
    config: { extends: join(REPO, 'electron-builder.yml'), ...(electronDist ? { electronDist } : {}) },
    publish: 'never',
  });
  process.stdout.write(`built ${files.length} file(s) in release/:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
} catch (err) {
  fail(summarize(err, electronVersion));
}
