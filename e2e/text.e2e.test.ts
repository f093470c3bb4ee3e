// The text pane in the web build, driven as a person would: paste a module, type a binding and see its node appear,
// break the text and see a diagnostic while the graph stays, and follow the selection link both ways.
import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useWebSession } from './harness.js';
import { MODULE, cursorAtEndOf, editorText, openApp, pasteText, textDiagnostics, waitForNode } from './text-helpers.js';

const skip = !hasChromium();

describe.skipIf(skip)('text pane', () => {
  const session = useWebSession();

  it('typing a binding in the text makes its node appear', async () => {
    const page = await openApp(session.browser, session.url);
    await pasteText(page, MODULE);
    await waitForNode(page, 'y');
    await expect(page.locator('[data-testid="node"][data-var="w"]').count()).resolves.toBe(0);
    await cursorAtEndOf(page, 'y = R.nn.relu(x)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('w = R.exp(y)');
    const node = page.locator('[data-testid="node"][data-var="w"]');
    await node.waitFor({ state: 'attached', timeout: 5000 });
    await expect(node.getAttribute('data-op')).resolves.toBe('relax.exp');
    // The new line was indented by the editor to sit inside the dataflow block.
    expect(await editorText(page)).toContain('            w = R.exp(y)');
    await screenshot(page, 'text-type-binding');
    await page.context().close();
  });

  it('a broken text shows a diagnostic and lint mark while the graph keeps its last good state', async () => {
    const page = await openApp(session.browser, session.url);
    await pasteText(page, MODULE);
    await waitForNode(page, 'y');
    const nodesBefore = await page.getByTestId('node').count();
    await cursorAtEndOf(page, 'y = R.nn.relu(x)');
    await page.keyboard.press('Backspace'); // drop the closing parenthesis
    const diag = textDiagnostics(page).first();
    await diag.waitFor({ timeout: 5000 });
    await expect(diag.getAttribute('data-code')).resolves.toBe('P102');
    await expect(diag.textContent()).resolves.toMatch(/Brackets must be closed/);
    await page.locator('.cm-lintRange-error').first().waitFor();
    await expect(page.getByTestId('node').count()).resolves.toBe(nodesBefore);
    await expect(page.getByTestId('empty').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="node"][data-var="y"]').count()).resolves.toBe(1);
    await screenshot(page, 'text-broken-diagnostic');
    // Fixing the text clears the diagnostic.
    await page.keyboard.type(')');
    await textDiagnostics(page).first().waitFor({ state: 'detached', timeout: 5000 });
    await page.context().close();
  });

  it('selecting a node highlights its binding; the cursor in a binding selects its node', async () => {
    const page = await openApp(session.browser, session.url);
    await pasteText(page, MODULE.replace('            R.output(y)', '            z = R.exp(y)\n            R.output(z)').replace('return y', 'return z'));
    await waitForNode(page, 'z');
    await page.getByRole('button', { name: 'Fit', exact: true }).first().click();
    await page.locator('[data-testid="node"][data-var="z"]').click();
    const mark = page.getByTestId('text-pane').locator('.cm-linked-node');
    await mark.first().waitFor({ timeout: 5000 });
    await expect(mark.allTextContents()).resolves.toEqual([expect.stringMatching(/^z.*= R\.exp\(y\)$/)]);
    await screenshot(page, 'text-node-to-text');
    await page.getByTestId('text-pane').locator('.cm-line', { hasText: 'R.nn.relu(x)' }).click();
    await expect.poll(() => mark.allTextContents()).toEqual([expect.stringMatching(/^y.*= R\.nn\.relu\(x\)$/)]);
    await expect.poll(() => page.locator('.svelte-flow__node.selected [data-testid="node"], [data-testid="node"].selected, [data-testid="node"][data-selected="true"]').first().getAttribute('data-var')).toBe('y');
    await screenshot(page, 'text-text-to-node');
    await page.context().close();
  });
});
