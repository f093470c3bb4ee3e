/**
 * Imports every op category for its registration side effect. Import this once (the parser, printer, verifier and
 * tests do) before looking ops up; the registry itself stays a plain table.
 */
import './unary.js';
import './binary.js';
import './ternary.js';
import './create.js';
import './datatype.js';
import './linalg.js';
import './nn.js';
import './manipulate.js';
import './indexing.js';
import './statistical.js';
import './search.js';
import './sorting.js';
import './set.js';
import './mask.js';
import './qdq.js';
import './sampling.js';
import './image.js';
import './vision.js';
import './builtin.js';

export { allOps, lookupOp } from './registry.js';
