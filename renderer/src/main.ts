// The app's entry point: creates the document store, restores the last project from IndexedDB into it (autosave
// then keeps every change), and mounts the root component. A slow or blocked database never holds the app back for
// more than RESTORE_WAIT_MS: the app mounts anyway and the restore lands when the database answers.
import { mount } from 'svelte';
import App from './App.svelte';
import { DocumentStore } from '../lib/document/store.js';
import { startPersistence } from '../lib/persist/index.js';
import { RunClient } from '../lib/compute/client.js';

const RESTORE_WAIT_MS = 1500;

// The compute layer, for end-to-end tests that drive RunClient directly (e2e/compute.e2e.test.ts).
(window as unknown as { __relaxStudioCompute?: unknown }).__relaxStudioCompute = { RunClient };

const store = new DocumentStore();
const persistence = startPersistence(store).then((r) => {
  if (!r.ok) console.warn(r.message);
  (window as unknown as { __relaxStudioPersistence?: unknown }).__relaxStudioPersistence = r;
  return r;
});
await Promise.race([persistence, new Promise((resolve) => setTimeout(resolve, RESTORE_WAIT_MS))]);

mount(App, { target: document.getElementById('app')!, props: { store, persistence } });
