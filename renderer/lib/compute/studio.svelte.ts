/**
 * The app's compute controller: what the toolbar's Build and Run buttons and the dock (build view, run panel,
 * profile, run comparison, packed functions) share. It owns the compute session (a RunClient to the Web Worker), the
 * run form, field errors, the timing overlay and the run history, and turns results into what the components show.
 * It changes nothing in the document except the selection (a listing line or profile row selects its nodes) and
 * the packed functions the user edits: a failed run leaves the project untouched.
 */
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import type { ReactiveDocument } from '../document/document.svelte.js';
import type { Platform } from '../platform/index.js';
import type { RunRecord } from '../persist/schema.js';
import type { Autosave } from '../persist/index.js';
import { buildOverlay, withMode } from '../profile/overlay.js';
import type { Overlay } from '../profile/overlay.js';
import type { ScaleMode } from '../profile/scale.js';
import { RunHistory } from '../profile/history.js';
import { traceFileName, traceJson } from '../profile/panel.js';
import { boundDims, defaultForm, fieldErrorsOf, formFromSettings, runModel, toRunRequest, toRunSettings, validateForm } from '../run/form.js';
import type { FieldErrors, RunForm, RunModel } from '../run/form.js';
import { missingPacked, packedErrors } from '../run/packed.js';
import { varOfId } from '../graph/view.js';
import { RunClient } from './client.js';
import { toRunRecord } from './record.js';
import { buildStatusText, ComputeSession, failureDiagnostics, runStatusText } from './session.js';
import type { SessionState } from './session.js';

/** The dock's tabs. */
export type DockTab = 'build' | 'run' | 'compare' | 'packed';

/** See the file header. */
export class StudioCompute {
  // (Plain fields set by the constructor, declared first: the $derived fields below read them lazily.)
  readonly doc: ReactiveDocument;
  private readonly platform: Pick<Platform, 'exportFile'>;
  private readonly autosave: () => Autosave | undefined;
  readonly session: ComputeSession;
  state: SessionState = $state.raw({});
  tab: DockTab = $state('run');
  dockOpen = $state(false);
  /** The run form; follows the module (parameters that no longer exist are dropped). */
  form: RunForm = $state.raw() as unknown as RunForm;
  /** Errors by field (`sym.n`, `inputs.x`, `packed.f`, `run`); from validation or the last failed run. */
  fieldErrors: FieldErrors = $state.raw({});
  mode: ScaleMode = $state('linear');
  runs: readonly RunRecord[] = $state.raw([]);
  compare: { a?: number; b?: number } = $state.raw({});
  /** The last message of an export or history write that failed. */
  notice: string | undefined = $state();

  readonly model: RunModel = $derived.by(() => runModel(this.doc.state.module, this.form?.func || undefined));
  readonly runStatus: string = $derived(runStatusText(this.state.run));
  readonly buildStatus: string = $derived(buildStatusText(this.state.build));
  readonly missingPacked: readonly string[] = $derived.by(() => missingPacked(this.doc.state.module, this.doc.state.packed));
  readonly packedErrors: Record<string, string> = $derived.by(() => ({
    ...packedErrors(this.doc.state.packed),
    ...Object.fromEntries(Object.entries(this.fieldErrors).filter(([k]) => k.startsWith('packed.')).map(([k, v]) => [k.slice(7), v])),
  }));
  /** Per-node times of the last run that finished, drawn on the graph while the document is the one that ran. */
  readonly overlay: Overlay | undefined = $derived.by(() => this.computeOverlay());
  /** Diagnostics the last failed build or run puts on nodes (while the text is the one it ran on). */
  readonly nodeDiagnostics: readonly Diagnostic[] = $derived.by(() => this.computeDiagnostics());

  constructor(doc: ReactiveDocument, platform: Pick<Platform, 'exportFile'>, autosave: () => Autosave | undefined, session?: ComputeSession) {
    this.doc = doc;
    this.platform = platform;
    this.autosave = autosave;
    this.session = session ?? new ComputeSession(new RunClient());
    this.session.subscribe((s) => (this.state = s));
    this.form = defaultForm(doc.state.module);
    doc.store.subscribe((s, c) => {
      if (c.kind === 'setText' && c.origin === 'file') this.reset();
      else if (s.module !== this.lastModule) this.form = defaultForm(s.module, this.form);
      this.lastModule = s.module;
    });
    this.lastModule = doc.state.module;
  }

  private lastModule: unknown;

  /** A new document: forget results, errors and the form. */
  private reset(): void {
    this.session.reset();
    this.fieldErrors = {};
    this.form = defaultForm(this.doc.state.module);
    void this.loadRuns();
  }

  setForm(f: RunForm): void {
    this.form = f.func !== this.form.func ? defaultForm(this.doc.state.module, f) : f;
    // Editing a field clears its error (the next run checks again).
    const kept = Object.fromEntries(Object.entries(this.fieldErrors).filter(([k]) => k === 'run' || k.startsWith('packed.')));
    if (Object.keys(kept).length !== Object.keys(this.fieldErrors).length) this.fieldErrors = kept;
  }

  setPacked(packed: Readonly<Record<string, string>>): void {
    this.doc.apply({ kind: 'setPacked', packed });
    const rest = Object.fromEntries(Object.entries(this.fieldErrors).filter(([k]) => !k.startsWith('packed.')));
    this.fieldErrors = rest;
  }

  async build(): Promise<void> {
    this.tab = 'build';
    this.dockOpen = true;
    await this.session.build({ kind: 'build', text: this.doc.state.text, device: this.form.device, sym: boundDims(this.form) });
  }

  /** Checks the form, runs, shows the profile; a failure goes to its field (and the packed tab when it is there). */
  async run(): Promise<void> {
    this.dockOpen = true;
    const errors = validateForm(this.form, this.model);
    const form = this.form;
    const request = toRunRequest(form, this.doc.state.text, this.doc.state.packed);
    const problems = Object.entries(errors);
    if (problems.length) {
      this.fieldErrors = errors;
      this.tab = 'run';
      const [field, first] = problems[0]!;
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more marked field${problems.length > 2 ? 's' : ''})` : '';
      this.session.refuseRun(request, { message: `${first}${more}`, field });
      return;
    }
    this.fieldErrors = {};
    if (this.tab !== 'packed') this.tab = 'run';
    const job = await this.session.run(request);
    if (job.status === 'failed' && job.error) {
      this.fieldErrors = fieldErrorsOf(job.error);
      if (job.error.field?.startsWith('packed.')) this.tab = 'packed';
    }
    if (job.status === 'done' && job.result) await this.record(form, job.result);
  }

  cancel(): void {
    this.session.cancelRun();
  }

  /** Selects the nodes (bare var names) of the run's function, switching to it. */
  selectNodes(vars: readonly string[]): void {
    const func = this.state.run?.result?.func ?? this.form.func ?? this.doc.state.activeFunction;
    const fn = this.doc.state.graph?.functions.find((f) => f.name === func);
    if (!fn || fn.kind !== 'relax') return;
    const ids = fn.nodes.filter((n) => n.kind !== 'output' && vars.includes(n.kind === 'param' ? n.name : n.binding.v.name)).map((n) => n.id);
    if (this.doc.state.activeFunction !== func) this.doc.apply({ kind: 'setActiveFunction', name: func });
    this.doc.apply({ kind: 'select', nodes: ids });
  }

  /** The selected nodes of the active function as bare var names. */
  selectedVars(): string[] {
    return this.doc.state.selection.map(varOfId);
  }

  async exportTrace(): Promise<void> {
    const p = this.state.run?.result?.profile;
    if (!p) return;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp for a file name, never observed
    const r = await this.platform.exportFile(traceJson(p), traceFileName(this.state.run!.result!.func, new Date()), 'json');
    this.notice = r.kind === 'error' ? r.message : undefined;
  }

  async saveNpy(index: number): Promise<void> {
    const r = this.state.run?.result;
    const bytes = r?.outputs[index]?.npy;
    if (!r || !bytes) return;
    const res = await this.platform.exportFile(bytes, `${r.func}-output${index}.npy`, 'npy');
    this.notice = res.kind === 'error' ? res.message : undefined;
  }

  /** Loads the project's past runs (newest first). */
  async loadRuns(): Promise<void> {
    const a = this.autosave();
    if (!a) return;
    try {
      this.runs = await new RunHistory(a.repo.db).list(a.projectId);
    } catch (e) {
      this.notice = `The run history cannot be read: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Fills the form with a past run's settings (`.npy` inputs excepted: their bytes were not kept). */
  reuse(run: RunRecord): void {
    this.form = defaultForm(this.doc.state.module, { ...this.form, ...formFromSettings(run.settings) });
    this.tab = 'run';
  }

  private async record(form: RunForm, result: NonNullable<NonNullable<SessionState['run']>['result']>): Promise<void> {
    const a = this.autosave();
    if (!a || !result.profile) return;
    try {
      const id = await new RunHistory(a.repo.db).save(toRunRecord(a.projectId, toRunSettings(form), result, Date.now()));
      await this.loadRuns();
      const previous = this.runs.find((r) => r.id !== id)?.id;
      this.compare = previous !== undefined ? { a: previous, b: id } : { b: id };
    } catch (e) {
      this.notice = `The run could not be added to the history: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private computeOverlay(): Overlay | undefined {
    const job = this.state.run;
    const r = job?.result;
    const graph = this.doc.state.graph;
    if (!r?.profile || !graph || job!.request.text !== this.doc.state.text) return undefined;
    const o = buildOverlay(r.profile.rows, graph, { func: r.func, kernels: r.kernels });
    return this.mode === 'linear' ? o : withMode(o, this.mode);
  }

  private computeDiagnostics(): Diagnostic[] {
    const s = this.doc.state;
    const out: Diagnostic[] = [];
    const b = this.state.build;
    if (b?.status === 'failed' && b.request.text === s.text) out.push(...failureDiagnostics(b.error, s.graph, s.activeFunction));
    const r = this.state.run;
    if (r?.status === 'failed' && r.request.text === s.text) out.push(...failureDiagnostics(r.error, s.graph, r.request.func ?? s.activeFunction));
    return out;
  }
}
