/**
 * I4xx: struct-info (shape) inference diagnostics, emitted by the op rules (`../op/*.ts`) and the expression
 * inference (`../relax/infer-impl.ts`). Shape and dtype mismatches are reported only when proven; codes are stable.
 */
import type { CodeInfo } from './catalog.js';

/** Every I4xx code with a title and a one-line explanation, for the catalog, docs and the CLI `explain` command. */
export const INFER_CODES: Readonly<Record<string, CodeInfo>> = {
  I401: { title: 'argument of the wrong kind', doc: 'An op expected a Tensor (or a tuple of tensors, or a Shape) and was given a value of another kind.' },
  I402: { title: 'data type mismatch', doc: 'Operands that must share a dtype do not (add of float32 and int32), or an operand has a dtype the op rejects (non-bool condition, float indices).' },
  I403: { title: 'shapes not broadcastable', doc: 'Two dims at the same (right-aligned) position are provably different and neither is 1.' },
  I404: { title: 'axis out of range', doc: 'An axis attribute is outside [-ndim, ndim - 1] for the input rank.' },
  I405: { title: 'wrong rank', doc: 'An input has a rank the op does not accept (conv2d data must be 4-D, matmul inputs at least 1-D, concat inputs the same rank).' },
  I406: { title: 'reduction length mismatch', doc: 'The contracted dims of a matmul are provably different.' },
  I407: { title: 'channel or group mismatch', doc: 'A convolution\'s data channels do not equal the weight\'s input channels times groups, or channels are not divisible by groups.' },
  I408: { title: 'reshape element count mismatch', doc: 'The new shape provably has a different number of elements than the input, or has several -1.' },
  I409: { title: 'invalid attribute', doc: 'An attribute has an impossible value: a layout that is not a permutation, pad_width of the wrong length, a zero stride.' },
  I410: { title: 'bad tuple index', doc: 'A tuple index is out of range, or a non-tuple value is indexed.' },
  I411: { title: 'missing argument', doc: 'A required argument of an op is missing (or a tuple of tensors is empty).' },
  I412: { title: 'float dtype required', doc: 'A transcendental op (exp, log, softmax, gelu, ...) was given an integer tensor.' },
  I413: { title: 'dimension mismatch', doc: 'Dims that must be equal are provably different (concat non-axis dims, norm parameters, attention heads, squeeze of a non-1 dim).' },
  I414: { title: 'call of a non-function', doc: 'A call\'s callee has a struct info that is not a function.' },
  I415: { title: 'argument count mismatch', doc: 'A call of a module function passes a different number of arguments than the function has parameters.' },
  I416: { title: 'duplicate axes', doc: 'An axes attribute names the same axis twice.' },
  I417: { title: 'invalid split', doc: 'split was given a non-positive number of sections.' },
  I418: { title: 'invalid einsum subscripts', doc: 'The einsum subscripts do not parse, do not match the operands, or give one label two lengths.' },
  I419: { title: 'argument type mismatch', doc: "A call's argument provably cannot fit the function's parameter (different kind, dtype, rank or constant dim)." },
};
