/**
 * The Svelte 5 face of a ComputeSession: `state` is reactive (`$state.raw`, replaced on every change); actions
 * forward to the session. All logic stays in the framework-free session (./session.ts).
 */
import type { BuildRequest, RunRequest } from './protocol.js';
import type { BuildJob, ComputeSession, RunJob, SessionState } from './session.js';

/** A reactive view of one ComputeSession. */
export class ReactiveSession {
  state: SessionState = $state.raw({});

  constructor(readonly session: ComputeSession) {
    this.state = session.state;
    session.subscribe((s) => (this.state = s));
  }

  build(request: BuildRequest): Promise<BuildJob> {
    return this.session.build(request);
  }

  run(request: RunRequest): Promise<RunJob> {
    return this.session.run(request);
  }

  cancelRun(): void {
    this.session.cancelRun();
  }
}
