/**
 * B6xx-B7xx: lowering and build diagnostics, emitted by the passes after LegalizeOps (core/compiler/passes), the
 * pipeline runner and VM codegen (core/compiler/build.ts). (B6xx belongs to LegalizeOps.) Each points at the span
 * of the source binding the failing construct came from.
 */
import type { CodeInfo } from './catalog.js';

/** Every B7xx code with a title and a one-line explanation. */
export const LOWER_CODES: Readonly<Record<string, CodeInfo>> = {
  B601: {
    title: 'op cannot be lowered here',
    doc: 'LegalizeOps turns each op into a TIR kernel, which needs the shapes (symbolic is fine) and dtypes of its inputs and result; a legalizer may also decline attribute values it does not support. A match_cast that states the shape usually fixes it.',
  },
  B605: {
    title: 'closure not supported',
    doc: 'LambdaLift moves local functions to module level; a local function that captures variables of the enclosing function needs closure conversion, which is not supported yet.',
  },
  B701: {
    title: 'allocation of unknown shape',
    doc: 'CallTIRRewrite allocates each call_tir / call_dps_packed output from its out_ty, and LowerAllocTensor sizes each allocation from its shape, so both need every dimension (symbolic is fine) and a dtype the VM can store.',
  },
  B702: {
    title: 'cannot generate VM code',
    doc: 'VM codegen met a construct the VM cannot run: an op that was not lowered (no legalization), a symbolic value no pass computed, or a metadata constant without data.',
  },
  B703: {
    title: 'internal error in a pass',
    doc: 'A compiler pass failed on this module in a way it should not. The message names the pass; please report it.',
  },
};
