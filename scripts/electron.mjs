// `npm start`: launches the desktop app (after the renderer and main process are built) with the local Electron
// binary, or says in one line why it cannot.
import { spawn } from 'node:child_process';
import { NO_ELECTRON, REPO, findElectron } from './electron-binary.mjs';

const exe = findElectron();
if (!exe) {
  process.stderr.write(`npm start: ${NO_ELECTRON}\n`);
  process.exit(1);
}
const child = spawn(exe, ['.', ...process.argv.slice(2)], { cwd: REPO, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
