import type { Expr, StructInfo } from './nodes.js';
import type { InferEnv } from './infer.js';
import { leafSInfo, SI } from './nodes.js';

/** Placeholder until the op inference lands: leaves are exact, everything else is `R.Any`. */
export function inferExprSInfo(e: Expr, _env: InferEnv): StructInfo {
  return leafSInfo(e) ?? SI.object();
}
