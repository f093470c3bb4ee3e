import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useWebSession } from './harness.js';
import type { HarnessApi } from '../renderer/src/harness/main.js';

const skip = !hasChromium();

describe.skipIf(skip)('web build in Chromium', () => {
  const session = useWebSession();

  it('serves the app shell', async () => {
    const page = await session.browser.newPage();
    await page.goto(session.url);
    await expect(page.getByTestId('app').textContent()).resolves.toContain('Relax Studio');
    await screenshot(page, 'smoke-app');
  });

  it('builds and runs a Relax program on the VM inside the page', async () => {
    const page = await session.browser.newPage();
    await page.goto(new URL('harness.html', session.url).toString());
    await page.waitForFunction(() => document.getElementById('log')?.textContent === 'ready');
    const out = await page.evaluate(async () => {
      const rs = (window as unknown as { relaxStudio: HarnessApi }).relaxStudio;
      const mod = rs.parse(`
@R.function
def main(x: R.Tensor(("n",), dtype="float32")) -> R.Tensor(("n",), dtype="float32"):
    n = T.int64()
    y = R.exp(x)
    return y
`).module!;
      const { exec } = rs.build(mod, {});
      const vm = new rs.VirtualMachine(exec, { backend: new rs.JsKernelBackend() });
      const y = (await vm.invoke('main', [rs.Tensor.from([3], 'float32', [0, 1, 2])])) as InstanceType<HarnessApi['Tensor']>;
      return Array.from(y.data);
    });
    expect(out.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 2.7183, 7.3891]);
  });
});
