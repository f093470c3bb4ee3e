/** Well-formedness verifier; see well-formed.ts for the numbered rules. */
export { verifyModule } from './well-formed.js';
