// Helpers for the text-pane and persistence e2e tests: open the app in a fresh context, paste into and read the
// CodeMirror editor, place the cursor on a line. They act through the UI only, as a person would.
import type { Browser, Page } from 'playwright-core';

export const MODULE = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 16), dtype="float32")) -> R.Tensor(("n", 16), dtype="float32"):
        n = T.int64()
        with R.dataflow():
            y = R.nn.relu(x)
            R.output(y)
        return y
`;

/** Replaces the editor's whole text, as a person pasting into it (select all, then paste). */
export async function pasteText(page: Page, text: string): Promise<void> {
  const content = page.getByTestId('text-pane').locator('.cm-content');
  await content.click({ position: { x: 4, y: 4 } });
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

/** Puts the cursor at the end of the editor line containing `needle`. */
export async function cursorAtEndOf(page: Page, needle: string): Promise<void> {
  await page.getByTestId('text-pane').locator('.cm-line', { hasText: needle }).first().click();
  await page.keyboard.press('End');
}

/** The editor's text (line by line, as shown). */
export async function editorText(page: Page): Promise<string> {
  return (await page.getByTestId('text-pane').locator('.cm-line').allTextContents()).join('\n');
}

/** Opens the app in a fresh browser context (its own IndexedDB) with the text pane ready. */
export async function openApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.getByTestId('text-pane').locator('.cm-content').waitFor();
  return page;
}


/** Waits until the graph has a node for `name` (attached: the canvas may render it outside the viewport). */
export async function waitForNode(page: Page, name: string, timeout = 5000): Promise<void> {
  await page.locator(`[data-testid="node"][data-var="${name}"]`).first().waitFor({ state: 'attached', timeout });
}

/** The diagnostics listed under the text pane's editor. */
export function textDiagnostics(page: Page) {
  return page.getByTestId('text-pane').getByTestId('diagnostic');
}
