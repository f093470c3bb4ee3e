/**
 * The harness page's visible report: the devices this browser offers (what runs each, or why it is missing),
 * whether this build has the gpu.js backend, and a results table the tests fill in (one row per case and
 * device) so that the screenshot a test saves shows what was checked where.
 */
import type { DeviceReport } from './devices.js';

/** One line of the results table. */
export interface ResultRow {
  readonly case: string;
  readonly device: string;
  /** "ok", "mismatch", "skipped", ... */
  readonly status: string;
  readonly detail?: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], testId: string): HTMLTableElement {
  const t = el('table', undefined, { 'data-testid': testId });
  const hr = el('tr');
  for (const h of head) hr.append(el('th', h));
  t.append(hr);
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((c, i) => tr.append(el('td', c, i === 1 ? { class: c } : {})));
    t.append(tr);
  }
  return t;
}

const STYLE = `
body { font: 13px system-ui, sans-serif; margin: 16px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.yes, td.ok { color: #176f2c; font-weight: 600; }
td.no, td.mismatch, td.error { color: #a11; font-weight: 600; }
td.skipped { color: #8a6d00; }
#log { color: #666; }
`;

/** Renders the device report into `root` (replacing what was there). */
export function renderDevices(root: HTMLElement, report: DeviceReport, gpuBackend: boolean): void {
  root.replaceChildren();
  const style = el('style', STYLE);
  root.append(style, el('h1', 'Relax Studio VM harness'), el('h2', 'Devices'));
  const rows = report.devices.map((d) => [d.name, d.available ? 'yes' : 'no', d.detail]);
  rows.push(['cpu (js reference)', 'yes', 'core/vm/kernels/js-codegen.ts, always']);
  root.append(table(['device', 'available', 'runs on / why not'], rows, 'device-report'));
  const notes = [
    `gpu.js backend (core/gpu) in this build: ${gpuBackend ? 'yes' : 'no - GPU devices run on the JS reference and tests skip them'}`,
    report.swiftShader ? 'GPU paths run on SwiftShader (a CPU rasterizer), not on a real GPU.' : '',
    report.userAgent,
  ].filter(Boolean);
  for (const n of notes) root.append(el('p', n));
  root.append(el('h2', 'Results'), el('div', undefined, { id: 'results' }));
}

/** Replaces the results table. */
export function renderResults(rows: readonly ResultRow[]): void {
  const host = document.getElementById('results');
  if (!host) return;
  host.replaceChildren(table(['case', 'status', 'device', 'detail'], rows.map((r) => [r.case, r.status, r.device, r.detail ?? '']), 'results'));
}
