/**
 * Registers every legalizer (side-effect imports, one line per category file under legalize/).
 */
export {};
import './unary.js';
import './binary.js';
import './create.js';
import './datatype.js';
import './statistical.js';
import './search.js';
import './linalg.js';
import './nn.js';
import './manipulate.js';
import './indexing.js';
import './image.js';
import './scan.js';
import './qdq.js';
import './mask.js';
