/**
 * B8xx: run diagnostics, put on graph nodes by the app's run panel (renderer/lib/compute/session.ts) when a run
 * fails at a node: the failure is said once in the run panel and badged on the node (at its binding's span) so the
 * user sees where. Nothing in the document changes.
 */
import type { CodeInfo } from './catalog.js';

/** Every B8xx code with a title and a one-line explanation. */
export const RUN_CODES: Readonly<Record<string, CodeInfo>> = {
  B801: {
    title: 'packed function failed here',
    doc: "The node calls a JavaScript packed function of the project that is not defined, does not compile, or threw when called. The run panel's packed-function editor shows the message on that function.",
  },
  B802: {
    title: 'run failed at this node',
    doc: 'A kernel or builtin called for this node failed while the program ran (for example a shape check of the VM on the inputs given). The message says what was expected and what was found.',
  },
};
