// Client-side logic that does not need VS Code: finding the server binary, turning the
// extension's settings into what the server reads, and making hover Markdown untrusted.
// Kept free of `import 'vscode'` so that `node --test` can exercise it directly.

import * as path from 'path';

export const SERVER_ARGS = ['serve', '--stdio'];

// ---------------------------------------------------------------------------------------------
// Finding the server binary: `pymastery.path`, else `bin/pymastery` in the extension, else PATH.

export type BinarySource = 'setting' | 'bundled' | 'path';

export interface ResolveInput {
    /** The `pymastery.path` setting (may be empty, may use `~` or `${workspaceFolder}`). */
    configuredPath?: string;
    /** Where the extension is installed (holds `bin/pymastery` when one is bundled). */
    extensionPath: string;
    /** The first workspace folder, for `${workspaceFolder}` and relative paths. */
    workspaceFolder?: string;
    /** The PATH environment variable. */
    envPath?: string;
    /** PATHEXT on Windows. */
    pathExt?: string;
    platform: NodeJS.Platform;
    homedir: string;
    /** True when a regular file exists there and may be executed. */
    isExecutable: (file: string) => boolean;
}

export type Resolution =
    | { ok: true; path: string; source: BinarySource }
    | { ok: false; reason: 'configured-missing' | 'not-found'; message: string; tried: string[] };

export function binaryName(platform: NodeJS.Platform): string {
    return platform === 'win32' ? 'pymastery.exe' : 'pymastery';
}

/** Expands `~`, `${workspaceFolder}` and `${userHome}`; relative paths are taken from the workspace folder. */
export function expandPath(p: string, homedir: string, workspaceFolder?: string, platform: NodeJS.Platform = process.platform): string {
    const pathApi = platform === 'win32' ? path.win32 : path.posix;
    let out = p.trim();
    out = out.replace(/\$\{userHome\}/g, homedir);
    if (workspaceFolder !== undefined) {
        out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
    }
    if (out === '~') {
        out = homedir;
    } else if (out.startsWith('~/') || out.startsWith('~\\')) {
        out = pathApi.join(homedir, out.slice(2));
    }
    if (!pathApi.isAbsolute(out) && workspaceFolder !== undefined && /[\\/]/.test(out)) {
        out = pathApi.resolve(workspaceFolder, out);
    }
    return out;
}

function searchPath(name: string, input: ResolveInput, tried: string[]): string | undefined {
    const win = input.platform === 'win32';
    const pathApi = win ? path.win32 : path.posix;
    const dirs = (input.envPath ?? '').split(win ? ';' : ':').filter((d) => d.length > 0);
    const exts = win ? (input.pathExt ?? '.EXE;.CMD;.BAT').split(';').filter((e) => e) : [''];
    for (const dir of dirs) {
        for (const ext of exts) {
            const candidate = pathApi.join(dir, name + (win && !name.toLowerCase().endsWith(ext.toLowerCase()) ? ext.toLowerCase() : ''));
            tried.push(candidate);
            if (input.isExecutable(candidate)) {
                return candidate;
            }
        }
    }
    return undefined;
}

export function resolveServerBinary(input: ResolveInput): Resolution {
    const tried: string[] = [];
    const configured = (input.configuredPath ?? '').trim();
    if (configured !== '') {
        const expanded = expandPath(configured, input.homedir, input.workspaceFolder, input.platform);
        const isBareName = !/[\\/]/.test(expanded);
        if (isBareName) {
            // A bare command name ("pymastery-nightly") is looked up on PATH.
            const found = searchPath(expanded, input, tried);
            if (found) {
                return { ok: true, path: found, source: 'setting' };
            }
        } else {
            tried.push(expanded);
            if (input.isExecutable(expanded)) {
                return { ok: true, path: expanded, source: 'setting' };
            }
        }
        return {
            ok: false,
            reason: 'configured-missing',
            tried,
            message: `pymastery: the setting pymastery.path is "${configured}", but no executable was found there. Fix the setting, or clear it to use the bundled server or the one on PATH.`,
        };
    }
    const pathApi = input.platform === 'win32' ? path.win32 : path.posix;
    const bundled = pathApi.join(input.extensionPath, 'bin', binaryName(input.platform));
    tried.push(bundled);
    if (input.isExecutable(bundled)) {
        return { ok: true, path: bundled, source: 'bundled' };
    }
    const onPath = searchPath('pymastery', input, tried);
    if (onPath) {
        return { ok: true, path: onPath, source: 'path' };
    }
    return {
        ok: false,
        reason: 'not-found',
        tried,
        message: 'pymastery: the language server was not found: it is not bundled with this extension and `pymastery` is not on PATH. Install it (cargo install pymastery) or set pymastery.path.',
    };
}

// ---------------------------------------------------------------------------------------------
// Settings -> what the server reads in initializationOptions and workspace/didChangeConfiguration:
// {"pymastery": {"select": [...], "ignore": [...], "hover": {"enable": bool}}}

/** The `pymastery` section as VS Code returns it (`workspace.getConfiguration('pymastery')`). */
export interface RawSettings {
    path?: unknown;
    select?: unknown;
    ignore?: unknown;
    book?: { path?: unknown };
    hover?: { enable?: unknown };
    trace?: { server?: unknown };
}

export interface ServerSettings {
    pymastery: {
        /** Omitted when empty: then pyproject.toml or the server's defaults choose. */
        select?: string[];
        ignore: string[];
        hover: { enable: boolean };
        book?: { path: string };
    };
}

function stringList(v: unknown): string[] {
    if (!Array.isArray(v)) {
        return [];
    }
    const out: string[] = [];
    for (const item of v) {
        if (typeof item !== 'string') {
            continue;
        }
        const s = item.trim();
        if (s !== '' && !out.includes(s)) {
            out.push(s);
        }
    }
    return out;
}

export function serverSettings(raw: RawSettings | undefined): ServerSettings {
    const r = raw ?? {};
    const select = stringList(r.select);
    const ignore = stringList(r.ignore);
    const enable = typeof r.hover?.enable === 'boolean' ? r.hover.enable : true;
    const settings: ServerSettings = { pymastery: { ignore, hover: { enable } } };
    if (select.length > 0) {
        settings.pymastery.select = select;
    }
    const book = typeof r.book?.path === 'string' ? r.book.path.trim() : '';
    if (book !== '') {
        settings.pymastery.book = { path: book };
    }
    return settings;
}

/** The server's environment: the editor's, plus PYMASTERY_BOOK when a book folder is set. */
export function serverEnv(base: NodeJS.ProcessEnv, raw: RawSettings | undefined, homedir: string, workspaceFolder?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...base };
    const book = typeof raw?.book?.path === 'string' ? raw.book.path.trim() : '';
    if (book !== '') {
        env.PYMASTERY_BOOK = expandPath(book, homedir, workspaceFolder);
    } else {
        delete env.PYMASTERY_BOOK;
    }
    return env;
}

/** Settings whose change needs a new server process; the others go by didChangeConfiguration. */
export const RESTART_SETTINGS = ['pymastery.path', 'pymastery.book.path'];

export type ConfigReaction = 'restart' | 'notify' | 'none';

/** What to do after a configuration change, given VS Code's `affectsConfiguration`. */
export function reactionTo(affects: (section: string) => boolean): ConfigReaction {
    if (RESTART_SETTINGS.some((s) => affects(s))) {
        return 'restart';
    }
    if (affects('pymastery')) {
        return 'notify';
    }
    return 'none';
}

// ---------------------------------------------------------------------------------------------
// Hover Markdown comes from the server and is shown untrusted: no command links, no HTML.

export interface MarkdownLike {
    value: string;
    isTrusted?: unknown;
    supportHtml?: boolean;
    supportThemeIcons?: boolean;
}

/** Replaces Markdown links and autolinks to `command:` URIs by their plain label. */
export function stripCommandLinks(markdown: string): string {
    return markdown
        .replace(/\[([^\]]*)\]\(\s*<?command:[^)]*\)/gi, '$1')
        .replace(/<command:[^>]*>/gi, '')
        .replace(/\[([^\]]*)\]:\s*<?command:\S*/gi, '[$1]: #');
}

/** Makes one Markdown string safe to render: untrusted, no HTML, no command links. */
export function untrustMarkdown<T extends MarkdownLike>(md: T): T {
    md.value = stripCommandLinks(md.value);
    md.isTrusted = false;
    md.supportHtml = false;
    return md;
}

// ---------------------------------------------------------------------------------------------
// Commands.

/** A diagnostic's code as the server sent it: "PM0105", or from {value, target}. */
export function diagnosticCode(code: unknown): string | undefined {
    if (typeof code === 'string' || typeof code === 'number') {
        return String(code);
    }
    if (code && typeof code === 'object' && 'value' in code) {
        const v = (code as { value: unknown }).value;
        if (typeof v === 'string' || typeof v === 'number') {
            return String(v);
        }
    }
    return undefined;
}

export interface SearchHit {
    id: string;
    title: string;
    first_line: string;
}

export interface SearchItem {
    label: string;
    description: string;
    detail: string;
    id: string;
}

export function searchItems(result: unknown): SearchItem[] {
    if (!Array.isArray(result)) {
        return [];
    }
    return result
        .filter((h): h is SearchHit => !!h && typeof h === 'object' && typeof (h as SearchHit).id === 'string')
        .map((h) => ({
            label: `§${h.id}`,
            description: typeof h.title === 'string' ? h.title : '',
            detail: typeof h.first_line === 'string' ? h.first_line : '',
            id: h.id,
        }));
}

/** A query for `pymastery.explain`: trims, drops a leading "§", upper-cases rule codes. */
export function normaliseExplainQuery(q: string): string {
    const s = q.trim().replace(/^§\s*/, '');
    return /^pm\d+$/i.test(s) ? s.toUpperCase() : s;
}

/** The file name of the document that shows an explanation. */
export function explanationFileName(query: string): string {
    const safe = query.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'explanation';
    return `${safe}.md`;
}

/**
 * The text `pymastery explain` prints, made to read well as Markdown: the header lines before the
 * first blank line keep their line breaks, and an indented example right after a line such as
 * "Example:" becomes a Python code block (Markdown would otherwise run it into the paragraph).
 */
export function explanationMarkdown(text: string): string {
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    const out: string[] = [];
    let inHeader = true;
    let inCode = false;
    let fence = false;
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (/^\s*(```|~~~)/.test(line)) {
            fence = !fence;
            out.push(line);
            continue;
        }
        if (fence) {
            out.push(line);
            continue;
        }
        const indented = /^( {4}|\t)/.test(line);
        if (inCode) {
            if (indented || (line.trim() === '' && i + 1 < lines.length && /^( {4}|\t)/.test(lines[i + 1]))) {
                out.push(line.replace(/^( {4}|\t)/, ''));
                continue;
            }
            out.push('```');
            inCode = false;
        }
        if (indented && i > 0 && lines[i - 1].trim() !== '' && !/^( {4}|\t)/.test(lines[i - 1])) {
            out.push('', '```python', line.replace(/^( {4}|\t)/, ''));
            inCode = true;
            inHeader = false;
            continue;
        }
        if (line.trim() === '') {
            inHeader = false;
            out.push(line);
            continue;
        }
        const nextIsText = i + 1 < lines.length && lines[i + 1].trim() !== '';
        out.push(inHeader && nextIsText ? `${line}  ` : line);
    }
    if (inCode) {
        out.push('```');
    }
    return out.join('\n');
}
