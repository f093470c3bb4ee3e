/** R.masked_fill: where(mask, value, x) with broadcasting, compared with a straight-loop reference. */
import { describe, it } from 'vitest';
import { expectOp, refMap } from './op-testing.js';

describe('masked_fill', () => {
  it('fills where the (broadcast) mask is true', async () => {
    await expectOp({
      call: 'R.masked_fill(x, m, v)', kernel: 'masked_fill',
      params: [{ name: 'x', shape: ['n', 4], dtype: 'float32' }, { name: 'm', shape: [4], dtype: 'bool' }, { name: 'v', shape: [], dtype: 'float32' }],
      ref: ([x, m, v]) => refMap('float32', [x!, m!, v!], (a, mk, val) => (mk ? val : a)),
    });
  });
});
