// Drives a real VS Code (code-server) in headless Chromium, with the packaged copydesk
// extension installed, through what a reporter does with a draft.
// Usage: node vscode-e2e.mjs URL WORKSPACE EXPECTED_FILE ARTIFACTS_DIR
// Exit 0 when every step passes; on failure, 1 and a screenshot in ARTIFACTS_DIR.
// The selectors are VS Code's internal DOM classes: pin code-server, expect to touch this
// file when bumping it.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [url, ws, expectedFile, artifacts] = process.argv.slice(2);
const draft = path.join(ws, 'draft.md');
const t0 = Date.now();
const log = (msg) => console.log(`[vscode ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
fs.mkdirSync(artifacts, { recursive: true });
const profile = fs.mkdtempSync(path.join(artifacts, 'chromium-profile-'));

const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
  timeout: 60_000,
});
const page = ctx.pages()[0] || (await ctx.newPage());
page.setDefaultTimeout(30_000);
page.on('pageerror', (e) => log(`page error: ${e.message}`));

const problems = page.locator('.markers-panel .monaco-list-row');
const statusItem = page.locator('.statusbar-item', { hasText: 'copydesk:' });
const editorLines = page.locator('.monaco-editor .view-lines');

/** The status bar item's text, e.g. "copydesk: 4" (the icon renders as an element). */
async function waitStatus(count, what) {
  await page.locator('.statusbar-item', { hasText: `copydesk: ${count}` }).waitFor({ timeout: 30_000 })
    .catch(async (e) => {
      const now = await statusItem.allInnerTexts().catch(() => []);
      throw new Error(`status bar never showed "copydesk: ${count}" (${what}); it shows ${JSON.stringify(now)}: ${e.message}`);
    });
}

/** Puts the caret `offset` characters into the first `needle` of the draft as saved on disk
 * (the test edits other lines only before it looks), with Go to Line (Ctrl+G "line:column"):
 * rendered lines carry inlay hints, so their text cannot be used to count columns. */
async function caretOn(needle, offset = 0) {
  const lines = fs.readFileSync(draft, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`"${needle}" is not in the draft`);
  const column = lines[line].indexOf(needle) + 1 + offset;
  for (let attempt = 1; ; attempt++) {
    // A view opening late (chat, notifications) can steal focus: retry.
    try {
      await page.locator('.monaco-editor .view-line').first().click({ position: { x: 2, y: 5 } });
      await page.locator('.monaco-editor.focused').waitFor({ timeout: 5_000 });
      await page.keyboard.press('Control+G');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 5_000 });
      await input.fill(`:${line + 1}:${column}`);
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor.focused').waitFor({ timeout: 5_000 });
      await page.locator('.statusbar-item', { hasText: `Ln ${line + 1}, Col ${column}` }).waitFor({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      log(`moving the caret failed, retry ${attempt}: ${e.message.split('\n')[0]}`);
      await page.keyboard.press('Escape');
    }
  }
}

async function runCommand(title) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 5_000 });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      log(`command palette failed, retry ${attempt}: ${e.message.split('\n')[0]}`);
      await page.keyboard.press('Escape');
    }
  }
}

let failed = false;
try {
  await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  log('workbench up');
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'draft.md' });
  await row.waitFor({ timeout: 60_000 });
  await row.click();
  await editorLines.filter({ hasText: 'Council delays budget vote' }).waitFor();
  log('draft.md open');

  // 1. The findings, in the Problems panel and as a count in the status bar.
  await page.keyboard.press('Control+Shift+M');
  const expected = ['Word repeated: "the the"', 'Space before comma', 'Placeholder "TK" left in copy', '"a important": use "an"'];
  for (const message of expected) {
    await problems.filter({ hasText: message }).first().waitFor({ timeout: 60_000 });
  }
  const rows = (await problems.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  if (!rows.some((r) => /copydesk\W*repeated-word/.test(r))) throw new Error(`no copydesk source on the rows: ${rows.join(' / ')}`);
  await waitStatus(4, 'four findings');
  log(`Problems panel: ${rows.length} rows, e.g. ${rows.find((r) => r.includes('the the'))}`);

  // 2. The inlay hint (speaker after a quotation) and the code lens (quotes summary).
  await page.locator('.monaco-editor .codelens-decoration', { hasText: '1 quote from 1 source' }).waitFor();
  const hint = await page.locator('.monaco-editor [class*="dyn-rule"], .monaco-editor .inlay-hint, .monaco-editor span[class*="inlay"]')
    .filter({ hasText: 'Ana Reyes' }).count();
  log(`code lens shown; inlay hint elements naming Ana Reyes: ${hint}`);

  // 3. A quick fix from the light bulb menu (Ctrl+.) on the repeated word.
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Remove the repeated "the"' });
  for (let attempt = 1; ; attempt++) {
    await caretOn('the the', 1);
    // The light bulb shows once the editor has the code actions at the caret.
    await page.locator('.monaco-editor .lightBulbWidget').first().waitFor({ timeout: 5_000 }).catch(() => {});
    await page.keyboard.press('Control+.');
    try {
      await fix.waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      log(`quick-fix menu not shown, retry ${attempt} (screenshot quickfix-retry-${attempt}.png)`);
      await page.screenshot({ path: path.join(artifacts, `quickfix-retry-${attempt}.png`) }).catch(() => {});
      await page.keyboard.press('Escape');
    }
  }
  if (!(await page.locator('.action-widget .monaco-list-row', { hasText: 'Ignore repeated-word on this line' }).count())) {
    throw new Error('no "Ignore repeated-word on this line" action');
  }
  await fix.click();
  await editorLines.filter({ hasText: 'said the plan would' }).waitFor();
  await waitStatus(3, 'after the quick fix');
  log('quick fix applied: 3 findings left');

  // 4. Hover a person's name.
  await caretOn('Reyes said.', 1);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: 'Ana Reyes' });
  await hover.waitFor();
  log(`hover: ${(await hover.innerText()).split('\n').slice(0, 2).join(' | ')}`);
  await page.keyboard.press('Escape');

  // 5. "copydesk: Fix all safe problems" from the command palette.
  await runCommand('copydesk: Fix all safe problems');
  await editorLines.filter({ hasText: 'an important step' }).waitFor();
  await editorLines.filter({ hasText: 'midnight, officials' }).waitFor();
  await waitStatus(1, 'after fix all');
  log('fix all applied: 1 finding left (the placeholder)');

  // 6. A setting changed in the workspace's settings.json applies without a restart.
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'copydesk.rules': { 'placeholder-text': 'off' } }, null, 2));
  await waitStatus(0, 'after turning placeholder-text off in settings');
  log('settings applied without a restart: 0 findings');
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), '{}\n');
  await waitStatus(1, 'after turning placeholder-text back on');

  // 7. "copydesk: Restart server": the new server checks the draft again.
  await runCommand('copydesk: Restart server');
  await page.locator('.statusbar-item', { hasText: 'copydesk' }).filter({ hasNotText: 'copydesk: 1' }).first()
    .waitFor({ timeout: 10_000 }).catch(() => {}); // the spinner may be too quick to see
  await waitStatus(1, 'after the restart');
  log('server restarted');

  // 8. "copydesk: Show output": the extension's log.
  await runCommand('copydesk: Show output');
  // The Output view, switched to the copydesk channel (its first lines may be scrolled away).
  await page.waitForFunction(() => [...document.querySelectorAll('.part.panel select')]
    .some((select) => select.selectedIndex >= 0 && select.options[select.selectedIndex].text === 'copydesk'));
  await page.locator('.part.panel .monaco-editor .view-line', { hasText: /\[(info|trace)\]/ }).first().waitFor();
  log('output channel shown');

  // 9. Save and check the file on disk.
  await caretOn('Council delays');
  await page.keyboard.press('Control+S');
  const want = fs.readFileSync(expectedFile, 'utf8');
  const deadline = Date.now() + 20_000;
  while (fs.readFileSync(draft, 'utf8') !== want && Date.now() < deadline) await page.waitForTimeout(200);
  const got = fs.readFileSync(draft, 'utf8');
  if (got !== want) throw new Error(`file on disk:\n${got}\nexpected:\n${want}`);
  log('saved and checked on disk');
  await page.screenshot({ path: path.join(artifacts, 'vscode-final.png') });
  console.log('PASS');
} catch (e) {
  failed = true;
  console.log(`FAIL: ${e.stack || e.message}`);
  await page.screenshot({ path: path.join(artifacts, 'vscode-failure.png') }).catch(() => {});
  fs.writeFileSync(path.join(artifacts, 'vscode-failure.html'), await page.content().catch(() => ''));
} finally {
  await ctx.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
