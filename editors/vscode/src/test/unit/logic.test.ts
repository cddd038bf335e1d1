// Unit tests of the client-side logic, run by node's built-in test runner (`npm run test:unit`).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
    diagnosticCode,
    expandPath,
    explanationFileName,
    explanationMarkdown,
    normaliseExplainQuery,
    reactionTo,
    ResolveInput,
    resolveServerBinary,
    searchItems,
    SERVER_ARGS,
    serverEnv,
    serverSettings,
    stripCommandLinks,
    untrustMarkdown,
} from '../../logic';

const root = path.resolve(__dirname, '..', '..', '..');

function input(over: Partial<ResolveInput>, executables: string[]): ResolveInput {
    return {
        configuredPath: '',
        extensionPath: '/ext',
        workspaceFolder: '/ws',
        envPath: '/usr/local/bin:/usr/bin',
        platform: 'linux',
        homedir: '/home/me',
        isExecutable: (f) => executables.includes(f),
        ...over,
    };
}

describe('server binary resolution order', () => {
    const all = ['/opt/pm/pymastery', '/ext/bin/pymastery', '/usr/bin/pymastery'];

    it('prefers pymastery.path over the bundled binary and PATH', () => {
        const r = resolveServerBinary(input({ configuredPath: '/opt/pm/pymastery' }, all));
        assert.deepEqual(r.ok && [r.path, r.source], ['/opt/pm/pymastery', 'setting']);
    });

    it('uses the bundled bin/pymastery when the setting is empty', () => {
        const r = resolveServerBinary(input({ configuredPath: '  ' }, all));
        assert.deepEqual(r.ok && [r.path, r.source], ['/ext/bin/pymastery', 'bundled']);
    });

    it('falls back to the first pymastery on PATH', () => {
        const r = resolveServerBinary(input({}, ['/usr/bin/pymastery', '/other/pymastery']));
        assert.deepEqual(r.ok && [r.path, r.source], ['/usr/bin/pymastery', 'path']);
    });

    it('searches PATH in order', () => {
        const r = resolveServerBinary(input({ envPath: '/a:/b:/c' }, ['/c/pymastery', '/b/pymastery']));
        assert.equal(r.ok && r.path, '/b/pymastery');
    });

    it('reports a configured path that does not exist instead of silently using another binary', () => {
        const r = resolveServerBinary(input({ configuredPath: '/nope/pymastery' }, all));
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, 'configured-missing');
        assert.match(!r.ok ? r.message : '', /pymastery\.path/);
        assert.match(!r.ok ? r.message : '', /\/nope\/pymastery/);
    });

    it('reports not-found with every place it looked', () => {
        const r = resolveServerBinary(input({}, []));
        assert.equal(r.ok, false);
        if (!r.ok) {
            assert.equal(r.reason, 'not-found');
            assert.deepEqual(r.tried, ['/ext/bin/pymastery', '/usr/local/bin/pymastery', '/usr/bin/pymastery']);
            assert.match(r.message, /PATH/);
        }
    });

    it('expands ~ and ${workspaceFolder} in the setting', () => {
        const home = resolveServerBinary(input({ configuredPath: '~/.cargo/bin/pymastery' }, ['/home/me/.cargo/bin/pymastery']));
        assert.equal(home.ok && home.path, '/home/me/.cargo/bin/pymastery');
        const ws = resolveServerBinary(input({ configuredPath: '${workspaceFolder}/target/debug/pymastery' }, ['/ws/target/debug/pymastery']));
        assert.equal(ws.ok && ws.path, '/ws/target/debug/pymastery');
        const rel = resolveServerBinary(input({ configuredPath: './target/release/pymastery' }, ['/ws/target/release/pymastery']));
        assert.equal(rel.ok && rel.path, '/ws/target/release/pymastery');
    });

    it('looks a bare command name in the setting up on PATH', () => {
        const r = resolveServerBinary(input({ configuredPath: 'pymastery-nightly' }, ['/usr/bin/pymastery-nightly']));
        assert.deepEqual(r.ok && [r.path, r.source], ['/usr/bin/pymastery-nightly', 'setting']);
    });

    it('uses pymastery.exe and ; separated PATH on Windows', () => {
        const r = resolveServerBinary(
            input({ platform: 'win32', extensionPath: 'C:\\ext', envPath: 'C:\\tools;D:\\bin', homedir: 'C:\\Users\\me', workspaceFolder: 'C:\\ws' }, [
                'D:\\bin\\pymastery.exe',
            ]),
        );
        assert.deepEqual(r.ok && [r.path, r.source], ['D:\\bin\\pymastery.exe', 'path']);
        const b = resolveServerBinary(input({ platform: 'win32', extensionPath: 'C:\\ext', envPath: '' }, ['C:\\ext\\bin\\pymastery.exe']));
        assert.equal(b.ok && b.source, 'bundled');
    });

    it('works against a real file system (executable bit required)', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-resolve-'));
        try {
            const ext = path.join(dir, 'ext');
            const onPath = path.join(dir, 'path');
            fs.mkdirSync(path.join(ext, 'bin'), { recursive: true });
            fs.mkdirSync(onPath);
            fs.writeFileSync(path.join(onPath, 'pymastery'), '#!/bin/sh\n', { mode: 0o755 });
            fs.writeFileSync(path.join(ext, 'bin', 'pymastery'), 'not executable', { mode: 0o644 });
            const isExecutable = (f: string) => {
                try {
                    fs.accessSync(f, fs.constants.X_OK);
                    return fs.statSync(f).isFile();
                } catch {
                    return false;
                }
            };
            const base = { extensionPath: ext, envPath: onPath, platform: 'linux' as const, homedir: dir, isExecutable };
            let r = resolveServerBinary(base);
            assert.equal(r.ok && r.source, 'path', 'a bundled file without the executable bit is skipped');
            fs.chmodSync(path.join(ext, 'bin', 'pymastery'), 0o755);
            r = resolveServerBinary(base);
            assert.equal(r.ok && r.source, 'bundled');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('starts the server as `pymastery serve --stdio`', () => {
        assert.deepEqual(SERVER_ARGS, ['serve', '--stdio']);
    });
});

describe('expandPath', () => {
    it('leaves absolute paths and bare names alone', () => {
        assert.equal(expandPath('/usr/bin/pymastery', '/h', '/ws', 'linux'), '/usr/bin/pymastery');
        assert.equal(expandPath('pymastery', '/h', '/ws', 'linux'), 'pymastery');
        assert.equal(expandPath('~', '/h', undefined, 'linux'), '/h');
        assert.equal(expandPath('${userHome}/x/pymastery', '/h', undefined, 'linux'), '/h/x/pymastery');
    });
});

describe('settings -> initializationOptions / didChangeConfiguration', () => {
    it('maps the defaults contributed in package.json to what the server expects', () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
        const props = pkg.contributes.configuration.properties;
        const defaults = {
            path: props['pymastery.path'].default,
            select: props['pymastery.select'].default,
            ignore: props['pymastery.ignore'].default,
            book: { path: props['pymastery.book.path'].default },
            hover: { enable: props['pymastery.hover.enable'].default },
            trace: { server: props['pymastery.trace.server'].default },
        };
        // No "select": the server then uses pyproject.toml or its defaults (an empty list would select nothing).
        assert.deepEqual(serverSettings(defaults), { pymastery: { ignore: [], hover: { enable: true } } });
    });

    it('passes select, ignore, hover.enable and book.path, and nothing the server does not read', () => {
        const s = serverSettings({
            path: '/x/pymastery',
            select: ['PM01', ' PM0299 ', '', 'PM01'],
            ignore: ['PM0101'],
            book: { path: '/books/pm' },
            hover: { enable: false },
            trace: { server: 'verbose' },
        });
        assert.deepEqual(s, {
            pymastery: { select: ['PM01', 'PM0299'], ignore: ['PM0101'], hover: { enable: false }, book: { path: '/books/pm' } },
        });
    });

    it('is robust to missing or mistyped values', () => {
        assert.deepEqual(serverSettings(undefined), { pymastery: { ignore: [], hover: { enable: true } } });
        assert.deepEqual(serverSettings({ select: 'PM01', ignore: [1, 'PM0105'], hover: { enable: 'no' } }), {
            pymastery: { ignore: ['PM0105'], hover: { enable: true } },
        });
    });

    it('round-trips through JSON (what goes over the wire)', () => {
        const s = serverSettings({ select: ['ALL'], ignore: [] });
        assert.deepEqual(JSON.parse(JSON.stringify(s)), { pymastery: { select: ['ALL'], ignore: [], hover: { enable: true } } });
    });

    it('sets PYMASTERY_BOOK for the server only when a book folder is set', () => {
        const env = serverEnv({ PATH: '/bin', PYMASTERY_BOOK: 'stale' }, { book: { path: '~/book' } }, '/h');
        assert.equal(env.PYMASTERY_BOOK, '/h/book');
        assert.equal(env.PATH, '/bin');
        assert.equal('PYMASTERY_BOOK' in serverEnv({ PYMASTERY_BOOK: 'stale' }, {}, '/h'), false);
    });

    it('restarts for path and book.path, notifies for the rest', () => {
        const affects = (changed: string[]) => (s: string) => changed.some((c) => c === s || c.startsWith(s + '.'));
        assert.equal(reactionTo(affects(['pymastery.path'])), 'restart');
        assert.equal(reactionTo(affects(['pymastery.book.path'])), 'restart');
        assert.equal(reactionTo(affects(['pymastery.select'])), 'notify');
        assert.equal(reactionTo(affects(['pymastery.hover.enable'])), 'notify');
        assert.equal(reactionTo(affects(['editor.fontSize'])), 'none');
    });
});

describe('package.json contributions', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

    it('contributes every setting with a description and a default', () => {
        const props = pkg.contributes.configuration.properties;
        for (const key of ['pymastery.path', 'pymastery.select', 'pymastery.ignore', 'pymastery.book.path', 'pymastery.hover.enable', 'pymastery.trace.server']) {
            assert.ok(props[key], key);
            assert.ok(props[key].markdownDescription || props[key].description, `${key} has a description`);
            assert.ok('default' in props[key], `${key} has a default`);
        }
    });

    it('contributes the four commands under the pymastery category', () => {
        const titles = pkg.contributes.commands.map((c: { category: string; title: string }) => `${c.category}: ${c.title}`);
        assert.deepEqual(titles.sort(), ['pymastery: Explain rule', 'pymastery: Restart server', 'pymastery: Search the book', 'pymastery: Show logs']);
        // The ids the language client registers for the server's own commands must stay free.
        const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
        assert.ok(!ids.includes('pymastery.explain') && !ids.includes('pymastery.searchBook'));
    });

    it('activates for Python', () => {
        assert.ok(pkg.activationEvents.includes('onLanguage:python'));
    });
});

describe('hover Markdown is untrusted', () => {
    it('clears isTrusted and supportHtml whatever they were', () => {
        const md = untrustMarkdown({ value: 'text', isTrusted: { enabledCommands: ['x'] }, supportHtml: true });
        assert.equal(md.isTrusted, false);
        assert.equal(md.supportHtml, false);
        assert.equal(untrustMarkdown({ value: 'a', isTrusted: true }).isTrusted, false);
    });

    it('drops command: links but keeps their text and ordinary links', () => {
        assert.equal(stripCommandLinks('see [run it](command:workbench.action.terminal.new?%5B%5D) now'), 'see run it now');
        assert.equal(stripCommandLinks('[x](  <command:foo>)'), 'x');
        assert.equal(stripCommandLinks('<command:foo> and [ref]: command:bar'), ' and [ref]: #');
        const ok = '`__slots__` in [the docs](https://docs.python.org/3/reference/datamodel.html#slots)';
        assert.equal(stripCommandLinks(ok), ok);
        assert.equal(untrustMarkdown({ value: '[go](COMMAND:evil)' }).value, 'go');
    });
});

describe('commands', () => {
    it('reads diagnostic codes in both shapes', () => {
        assert.equal(diagnosticCode('PM0105'), 'PM0105');
        assert.equal(diagnosticCode({ value: 'PM0101', target: {} }), 'PM0101');
        assert.equal(diagnosticCode(105), '105');
        assert.equal(diagnosticCode(undefined), undefined);
    });

    it('normalises explain queries', () => {
        assert.equal(normaliseExplainQuery(' pm0105 '), 'PM0105');
        assert.equal(normaliseExplainQuery('§1.5.1'), '1.5.1');
        assert.equal(normaliseExplainQuery('asyncio.gather'), 'asyncio.gather');
        assert.equal(explanationFileName('1.5.1'), '1.5.1.md');
        assert.equal(explanationFileName('a/b c'), 'a_b_c.md');
    });

    it('turns searchBook results into quick pick items', () => {
        const items = searchItems([
            { id: '1.5.1', title: 'The Mutable Default Argument Trap', first_line: 'Defaults run once.' },
            { bogus: true },
        ]);
        assert.deepEqual(items, [
            { label: '§1.5.1', description: 'The Mutable Default Argument Trap', detail: 'Defaults run once.', id: '1.5.1' },
        ]);
        assert.deepEqual(searchItems(null), []);
    });
});

describe('explanation Markdown', () => {
    it('keeps the header lines apart', () => {
        const md = explanationMarkdown('PM0105 mutable-default-argument\nSection: §1.5.1 The Trap\nFix: unsafe\n\n## What it does\nFlags it.\nReally.\n');
        assert.equal(md, 'PM0105 mutable-default-argument  \nSection: §1.5.1 The Trap  \nFix: unsafe\n\n## What it does\nFlags it.\nReally.\n');
    });

    it('turns an indented example after "Example:" into a Python code block', () => {
        const text = 'Intro.\n\nExample:\n    def f(x=[]):\n        return x\n\n    f()\nSee also: §1.5\n';
        assert.equal(explanationMarkdown(text), 'Intro.\n\nExample:\n\n```python\ndef f(x=[]):\n    return x\n\nf()\n```\nSee also: §1.5\n');
    });

    it('leaves fenced code alone', () => {
        const text = 'T\n\n```python\n    x = 1\n```\n';
        assert.equal(explanationMarkdown(text), text);
    });
});
