/**
 * Unary elementwise ops (`python/tvm/relax/op/unary.py`): the result keeps the input's shape (a shape var stays a
 * var) and dtype; transcendental ops require a float input (I412); `isfinite`/`isinf`/`isnan` give bool.
 * `R.nn.*` activations reuse `unaryRule` from here.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { defineOps, e, opLabel, t, tensorArg, UNKNOWN_TENSOR, withDtype, isFloat } from './common.js';
import type { InferCtx } from './registry.js';

/** Inference of an elementwise unary op: same shape; `requireFloat` checks the dtype; `outDtype` overrides it. */
export function unaryRule(requireFloat: boolean, outDtype?: string): (call: Call, ctx: InferCtx) => StructInfo {
  return (call, ctx) => {
    const x = tensorArg(call, 0, ctx);
    if (!x) return UNKNOWN_TENSOR;
    if (requireFloat && x.dtype && !isFloat(x.dtype)) {
      ctx.error('I412', `${opLabel(call)} requires the input tensor to have a float dtype. However, the given input dtype is ${x.dtype}.`);
    }
    return withDtype(x, outDtype ?? x.dtype);
  };
}

const FLOAT_OPS = [
  'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'erf', 'exp', 'log', 'rsqrt', 'sigmoid', 'sin',
  'sinh', 'sqrt', 'tan', 'tanh',
];
const ANY_OPS = ['abs', 'bitwise_not', 'ceil', 'floor', 'logical_not', 'negative', 'round', 'sign', 'square', 'trunc'];
const CHECK_OPS = ['isfinite', 'isinf', 'isnan'];
const SHORT = new Set(['exp', 'log', 'sqrt', 'rsqrt', 'abs', 'negative', 'sigmoid', 'tanh', 'erf', 'sin', 'cos', 'floor', 'ceil', 'round', 'square', 'clip']);

defineOps('unary', [
  ...FLOAT_OPS.map((n) => ({
    name: `relax.${n}`, params: [t('x')], infer: unaryRule(true), shortlist: SHORT.has(n),
    doc: `Elementwise ${n} (float inputs).`,
  })),
  ...ANY_OPS.map((n) => ({
    name: `relax.${n}`, params: [t('x')], infer: unaryRule(false), shortlist: SHORT.has(n), doc: `Elementwise ${n}.`,
  })),
  ...CHECK_OPS.map((n) => ({
    name: `relax.${n}`, params: [t('x')], infer: unaryRule(false, 'bool'), doc: `Elementwise ${n}; a bool tensor.`,
  })),
  {
    name: 'relax.clip', params: [t('x'), e('min', 'prim'), e('max', 'prim')], infer: unaryRule(false), shortlist: true,
    doc: 'Clamps every element into [min, max].',
  },
]);
