// End-to-end test of the pymastery extension in real VS Code (code-server), driven by Playwright
// in Debian's Chromium. Started by ../e2e.sh, which installs the .vsix, starts code-server and
// passes: E2E_URL, E2E_WORKSPACE, E2E_ARTIFACTS, E2E_SETTINGS (the workspace's settings.json),
// E2E_README_DIR (optional: where to copy the screenshots the README shows), CHROMIUM.
//
// Each step is a check; a failed step is reported and the next ones still run. Prints one line
// per step ("ok N - ..." / "not ok N - ...") and a summary "E2E passed=P failed=F".

'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const URL = process.env.E2E_URL;
const WORKSPACE = process.env.E2E_WORKSPACE;
const ARTIFACTS = process.env.E2E_ARTIFACTS;
const README_DIR = process.env.E2E_README_DIR || '';
const SETTINGS = process.env.E2E_SETTINGS || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT = Number(process.env.E2E_STEP_TIMEOUT_MS || 30000);

const results = [];
let shotNo = 0;

function norm(s) {
    return (s || '').replace(/\u00a0/g, ' ');
}

async function shot(page, name) {
    shotNo += 1;
    const file = path.join(ARTIFACTS, `${String(shotNo).padStart(2, '0')}-${name}.png`);
    try {
        await page.screenshot({ path: file });
    } catch (e) {
        console.log(`# screenshot ${name} failed: ${e.message}`);
    }
    return file;
}

async function step(page, name, fn) {
    const started = Date.now();
    const n = results.length + 1;
    try {
        await fn();
        results.push({ name, ok: true });
        console.log(`ok ${n} - ${name} (${Date.now() - started} ms)`);
    } catch (e) {
        results.push({ name, ok: false });
        console.log(`not ok ${n} - ${name} (${Date.now() - started} ms)`);
        console.log(`#   ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 4).join('\n#   ')}`);
        await shot(page, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    }
}

/** Text of the editor's rendered lines, with normal spaces, one line per view line (top to bottom). */
async function editorText(page) {
    return page.evaluate(() => {
        const editor = document.querySelector('.editor-instance .monaco-editor .view-lines') || document.querySelector('.monaco-editor .view-lines');
        if (!editor) {
            return '';
        }
        const lines = Array.from(editor.querySelectorAll('.view-line'));
        lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        return lines.map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n');
    });
}

/** Screen centre of the first occurrence of `needle` (plus an offset in characters) in the editor. */
async function textPosition(page, needle, charOffset = 0) {
    const pos = await page.evaluate(
        ({ needle, charOffset }) => {
            const root = document.querySelector('.editor-instance .monaco-editor .view-lines') || document.querySelector('.monaco-editor .view-lines');
            if (!root) {
                return null;
            }
            for (const line of root.querySelectorAll('.view-line')) {
                const text = line.textContent.replace(/\u00a0/g, ' ');
                const at = text.indexOf(needle);
                if (at < 0) {
                    continue;
                }
                // Walk the text nodes to the character at `at + charOffset`.
                let want = at + charOffset;
                const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const len = node.textContent.length;
                    if (want < len) {
                        const range = document.createRange();
                        range.setStart(node, want);
                        range.setEnd(node, want + 1);
                        const r = range.getBoundingClientRect();
                        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
                    }
                    want -= len;
                }
            }
            return null;
        },
        { needle, charOffset },
    );
    if (!pos) {
        throw new Error(`"${needle}" is not on screen; editor shows:\n${await editorText(page)}`);
    }
    return pos;
}

async function runCommand(page, title) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    // Several commands may match ("File: New Untitled Text File" also finds "File: Compare New
    // Untitled Text Files"): move the focus to the one whose label is exactly `title`.
    const focusedLabel = () => page.locator('.quick-input-list .monaco-list-row.focused .label-name').first().innerText().catch(() => '');
    for (let i = 0; i < 10 && norm(await focusedLabel()).trim() !== title; i++) {
        await page.keyboard.press('ArrowDown');
        await page.waitForTimeout(50);
    }
    const label = norm(await focusedLabel()).trim();
    if (label !== title) {
        throw new Error(`command "${title}" not found in the palette (focused: "${label}")`);
    }
    await page.keyboard.press('Enter');
}

/** Opens the Ctrl+. menu at the cursor, moves the focus to the action whose title contains `title`, and applies it. */
async function pickCodeAction(page, title, beforeApply) {
    const menu = page.locator('.action-widget');
    // Right after an edit the server may not have answered for the new version yet, and VS Code
    // then says "No code actions available": ask again, a few times.
    for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Control+.');
        try {
            await menu.locator('.monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 5000 });
            break;
        } catch (e) {
            if (attempt >= 4) {
                throw e;
            }
            await page.keyboard.press('Escape');
            await page.waitForTimeout(1000);
        }
    }
    let focused = '';
    for (let i = 0; i < 10; i++) {
        focused = (await menu.locator('.monaco-list-row.focused').first().getAttribute('aria-label').catch(() => '')) || '';
        if (focused.includes(title)) {
            break;
        }
        await page.keyboard.press('ArrowDown');
        await page.waitForTimeout(50);
    }
    if (!focused.includes(title)) {
        throw new Error(`could not focus "${title}" in the menu; focused: ${focused}`);
    }
    if (beforeApply) {
        await beforeApply(menu);
    }
    await page.keyboard.press('Enter');
}

/** Waits until a webview (the Markdown preview) in the page shows `needle`. */
async function waitForPreviewText(page, needle, timeout = STEP_TIMEOUT) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
        for (const frame of page.frames()) {
            const text = await frame.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
            if (text && text.includes(needle) && frame !== page.mainFrame()) {
                return text;
            }
        }
        await page.waitForTimeout(250);
    }
    throw new Error(`no Markdown preview shows "${needle}"`);
}

async function closeTab(page, title) {
    const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
    await tab.hover();
    await tab.locator('.codicon-close').first().click({ force: true });
    await tab.waitFor({ state: 'detached' });
}

async function focusExample(page) {
    await page.locator('.tabs-container .tab', { hasText: 'example.py' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'append_to' }).first().waitFor();
}

/** Rewrites the workspace settings (.vscode/settings.json) to `settings`, on top of the user settings. */
function writeSettings(settings) {
    fs.writeFileSync(SETTINGS, JSON.stringify(settings, null, 4) + '\n');
}

async function main() {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const userDataDir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'pm-chromium-'));
    const browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 800 },
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
        ],
    });
    const page = browser.pages()[0] || (await browser.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT);
    const consoleErrors = [];
    page.on('console', (m) => {
        if (m.type() === 'error') {
            consoleErrors.push(m.text());
        }
    });

    const readmeShots = {};
    try {
        await step(page, 'VS Code loads the workspace', async () => {
            await page.goto(`${URL}/?folder=${encodeURIComponent(WORKSPACE)}`, { waitUntil: 'domcontentloaded' });
            await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
            await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'example.py' }).first().waitFor({ timeout: 60000 });
            await shot(page, 'workbench');
        });

        await step(page, 'opening example.py shows the PM0105 squiggle', async () => {
            await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'example.py' }).first().click();
            await page.locator('.monaco-editor .view-lines').first().waitFor();
            await page.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first().waitFor({ timeout: 60000 });
            await page.waitForTimeout(300);
            await shot(page, 'squiggle');
        });

        await step(page, 'the status bar shows the running server', async () => {
            const item = page.locator('.statusbar-item', { hasText: 'pymastery' }).first();
            await item.waitFor();
            await item.locator('.codicon-book').waitFor({ timeout: 20000 });
        });

        await step(page, 'the Problems panel lists PM0105 with the book section §1.5.1', async () => {
            await page.locator('.monaco-editor .view-lines').first().click();
            await page.keyboard.press('Control+Shift+M');
            const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'PM0105' }).first();
            await row.waitFor();
            const text = norm(await page.locator('.markers-panel').innerText());
            if (!text.includes('§1.5.1') || !text.includes('Mutable Default Argument Trap')) {
                throw new Error(`Problems panel text lacks §1.5.1:\n${text}`);
            }
            await shot(page, 'problems');
        });

        await step(page, 'hovering __slots__ shows the book entry, untrusted', async () => {
            // Close the panel so the hover has room, then hover the middle of `__slots__`.
            await page.keyboard.press('Control+J');
            await page.waitForTimeout(200);
            const p = await textPosition(page, '__slots__', 4);
            await page.mouse.move(p.x - 40, p.y + 60);
            await page.mouse.move(p.x, p.y, { steps: 4 });
            const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Staff-Level Python Mastery' }).first();
            await hover.waitFor({ state: 'visible' });
            const text = norm(await hover.innerText());
            if (!text.includes('__slots__')) {
                throw new Error(`hover lacks "__slots__":\n${text}`);
            }
            // Untrusted Markdown: no link in the hover may run a command.
            const commandLinks = await hover.locator('a[href^="command:"], a[data-href^="command:"]').count();
            if (commandLinks > 0) {
                throw new Error(`hover has ${commandLinks} command link(s)`);
            }
            readmeShots.hover = await shot(page, 'hover-slots');
            await page.mouse.move(5, 400);
            await page.keyboard.press('Escape');
        });

        await step(page, 'the PM0105 quick fix from Ctrl+. rewrites the default to None', async () => {
            const p = await textPosition(page, 'bucket=[]', 8);
            await page.mouse.click(p.x, p.y);
            await page.locator('.lightBulbWidget .codicon, .lightBulbWidget').first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
            await shot(page, 'lightbulb');
            await pickCodeAction(page, 'to None and create it in the body', async (menu) => {
                const menuText = norm(await menu.innerText());
                for (const want of ['PM0105, unsafe: may change behaviour', 'Suppress PM0105 on this line', 'Explain PM0105 (§1.5.1']) {
                    if (!menuText.includes(want)) {
                        throw new Error(`quick fix menu lacks "${want}":\n${menuText}`);
                    }
                }
                await page.waitForTimeout(200);
                readmeShots.screenshot = await shot(page, 'quickfix-menu');
            });
            await page.waitForFunction(
                () => {
                    const root = document.querySelector('.editor-instance .monaco-editor .view-lines') || document.querySelector('.monaco-editor .view-lines');
                    return !!root && root.textContent.replace(/\u00a0/g, ' ').includes('if bucket is None:');
                },
                null,
                { timeout: STEP_TIMEOUT },
            );
            const text = await editorText(page);
            if (!text.includes('def append_to(item, bucket=None):')) {
                throw new Error(`the signature was not rewritten:\n${text}`);
            }
            await page.waitForTimeout(500);
            await shot(page, 'quickfix-applied');
        });

        await step(page, 'the "Explain PM0105" code action opens the explanation in a Markdown preview', async () => {
            await page.keyboard.press('Control+Z');
            await page.waitForFunction(() => (document.querySelector('.monaco-editor .view-lines')?.textContent || '').replace(/\u00a0/g, ' ').includes('bucket=[]'));
            await page.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first().waitFor();
            const p = await textPosition(page, 'bucket=[]', 8);
            await page.mouse.click(p.x, p.y);
            await pickCodeAction(page, 'Explain PM0105');
            await page.locator('.tabs-container .tab', { hasText: 'PM0105' }).first().waitFor();
            await waitForPreviewText(page, 'Use instead');
            // The client shows the text itself; the server's own notification is not asked for.
            const toasts = await page.locator('.notification-toast', { hasText: 'mutable-default-argument' }).count();
            if (toasts > 0) {
                throw new Error('the explanation also came as a notification');
            }
            await shot(page, 'explain-code-action');
            await closeTab(page, 'PM0105');
        });

        await step(page, '"pymastery: Explain rule" explains the diagnostic under the cursor', async () => {
            await focusExample(page);
            const p = await textPosition(page, 'bucket=[]', 8);
            await page.mouse.click(p.x, p.y);
            await runCommand(page, 'pymastery: Explain rule');
            await page.locator('.tabs-container .tab', { hasText: 'PM0105' }).first().waitFor();
            await waitForPreviewText(page, 'mutable-default-argument');
            readmeShots.explain = await shot(page, 'explain-command');
        });

        await step(page, '"pymastery: Search the book" finds §1.5.1 and opens it', async () => {
            await runCommand(page, 'pymastery: Search the book');
            const input = page.locator('.quick-input-widget input');
            await input.waitFor({ state: 'visible' });
            await input.fill('mutable default');
            const row = page.locator('.quick-input-list .monaco-list-row', { hasText: '§1.5.1' }).first();
            await row.waitFor();
            await shot(page, 'search');
            await row.click();
            await page.locator('.tabs-container .tab', { hasText: '1.5.1' }).first().waitFor();
            await waitForPreviewText(page, 'add_tag');
            await shot(page, 'search-result');
        });

        await step(page, 'pymastery.hover.enable = false turns the hovers off without a reload', async () => {
            await focusExample(page);
            writeSettings({ 'pymastery.hover.enable': false });
            await page.waitForTimeout(1500);
            const p = await textPosition(page, '__slots__', 4);
            await page.mouse.move(p.x - 40, p.y + 60);
            await page.mouse.move(p.x, p.y, { steps: 4 });
            await page.waitForTimeout(2000);
            const shown = await page.locator('.monaco-hover:not(.hidden)', { hasText: 'Staff-Level Python Mastery' }).count();
            await shot(page, 'hover-disabled');
            await page.mouse.move(5, 400);
            writeSettings({});
            if (shown > 0) {
                throw new Error('the hover still shows the book entry with pymastery.hover.enable = false');
            }
        });

        await step(page, 'pymastery.ignore = ["PM0105"] hides the diagnostic without a reload', async () => {
            await focusExample(page);
            await page.locator('.squiggly-warning').first().waitFor();
            writeSettings({ 'pymastery.ignore': ['PM0105'] });
            try {
                await page.locator('.squiggly-warning').first().waitFor({ state: 'detached', timeout: 10000 });
            } catch {
                await shot(page, 'ignore-pm0105');
                writeSettings({});
                throw new Error(
                    'PM0105 is still shown 10 s after pymastery.ignore changed. The extension sent workspace/didChangeConfiguration ' +
                        '(see "settings changed" in vscode-logs/**/pymastery.log); the server re-published diagnostics computed with the old settings.',
                );
            }
            await shot(page, 'ignore-pm0105');
            writeSettings({});
            await page.locator('.squiggly-warning').first().waitFor();
        });

        await step(page, 'a pymastery.path that does not exist gives an error with "Open settings"', async () => {
            writeSettings({ 'pymastery.path': '/nonexistent/pymastery' });
            const toast = page.locator('.notification-toast', { hasText: 'pymastery.path' }).first();
            await toast.waitFor();
            await page.locator('.statusbar-item', { hasText: 'pymastery' }).first().locator('.codicon-error').waitFor();
            await shot(page, 'missing-binary');
            await toast.locator('.monaco-button', { hasText: 'Open settings' }).first().click();
            await page.locator('.settings-editor').first().waitFor();
            await shot(page, 'open-settings');
            await closeTab(page, 'Settings');
        });

        await step(page, 'restoring pymastery.path restarts the server without a reload', async () => {
            writeSettings({});
            await focusExample(page);
            await page.locator('.statusbar-item', { hasText: 'pymastery' }).first().locator('.codicon-book').waitFor();
            await page.locator('.squiggly-warning').first().waitFor();
        });

        await step(page, '"pymastery: Restart server" restarts it', async () => {
            await runCommand(page, 'pymastery: Restart server');
            await page.locator('.statusbar-item', { hasText: 'pymastery' }).first().locator('.codicon-book').waitFor();
            await focusExample(page);
            await page.locator('.squiggly-warning').first().waitFor();
            await runCommand(page, 'pymastery: Show logs');
            await page.locator('.panel .monaco-editor .view-lines', { hasText: 'starting' }).first().waitFor();
            await shot(page, 'logs');
        });

        await step(page, 'an untitled Python buffer gets diagnostics too', async () => {
            await runCommand(page, 'File: New Untitled Text File');
            await page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).first().waitFor();
            await runCommand(page, 'Change Language Mode');
            const input = page.locator('.quick-input-widget input');
            await input.fill('Python');
            await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Python' }).first().waitFor();
            await page.keyboard.press('Enter');
            await page.locator('.statusbar-item', { hasText: 'Python' }).first().waitFor();
            await page.locator('.editor-instance .monaco-editor textarea').last().focus().catch(() => {});
            await page.keyboard.type('def tally(counts={}):');
            await page.keyboard.press('Enter');
            await page.keyboard.type('return counts');
            await page.waitForFunction(() =>
                Array.from(document.querySelectorAll('.monaco-editor .view-lines')).some((v) => v.textContent.replace(/\u00a0/g, ' ').includes('def tally(counts={}):')),
            );
            await page.locator('.squiggly-warning').first().waitFor();
            await page.keyboard.press('Control+Shift+M');
            await page.locator('.markers-panel .monaco-list-row', { hasText: 'counts' }).first().waitFor();
            await shot(page, 'untitled');
        });

        if (README_DIR) {
            for (const [name, file] of Object.entries(readmeShots)) {
                if (file && fs.existsSync(file)) {
                    fs.copyFileSync(file, path.join(README_DIR, `${name}.png`));
                }
            }
        }
    } finally {
        if (consoleErrors.length > 0) {
            fs.writeFileSync(path.join(ARTIFACTS, 'browser-console-errors.txt'), consoleErrors.join('\n') + '\n');
        }
        await browser.close().catch(() => {});
        fs.rmSync(userDataDir, { recursive: true, force: true });
    }
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    console.log(`E2E passed=${passed} failed=${failed}`);
    process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((e) => {
    console.error(e);
    console.log(`E2E passed=${results.filter((r) => r.ok).length} failed=${results.filter((r) => !r.ok).length + 1}`);
    process.exitCode = 1;
});
