// The pymastery extension: starts `pymastery serve --stdio` for Python files and untitled Python
// buffers, keeps its settings in sync, and adds commands to explain a rule and search the book.

import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
    DidChangeConfigurationNotification,
    ExecuteCommandRequest,
    LanguageClient,
    LanguageClientOptions,
    ServerOptions,
    State,
} from 'vscode-languageclient/node';
import {
    diagnosticCode,
    explanationFileName,
    explanationMarkdown,
    normaliseExplainQuery,
    RawSettings,
    reactionTo,
    resolveServerBinary,
    Resolution,
    SearchItem,
    searchItems,
    SERVER_ARGS,
    serverEnv,
    serverSettings,
    untrustMarkdown,
} from './logic';

const EXPLAIN = 'pymastery.explain';
const SEARCH = 'pymastery.searchBook';
const EXPLAIN_SCHEME = 'pymastery-explain';

let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let resolution: Resolution | undefined;
let context: vscode.ExtensionContext;
/** Start and stop run one at a time, in order. */
let queue: Promise<unknown> = Promise.resolve();

const explanations = new Map<string, string>();
const explanationChanged = new vscode.EventEmitter<vscode.Uri>();

function rawSettings(): RawSettings {
    const c = vscode.workspace.getConfiguration('pymastery');
    return {
        path: c.get('path'),
        select: c.get('select'),
        ignore: c.get('ignore'),
        book: { path: c.get('book.path') },
        hover: { enable: c.get('hover.enable') },
        trace: { server: c.get('trace.server') },
    };
}

function workspaceFolder(): string | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
}

function isExecutable(file: string): boolean {
    try {
        if (!fs.statSync(file).isFile()) {
            return false;
        }
        if (process.platform !== 'win32') {
            fs.accessSync(file, fs.constants.X_OK);
        }
        return true;
    } catch {
        return false;
    }
}

function setStatus(kind: 'starting' | 'running' | 'stopped' | 'error', detail?: string): void {
    const icons = { starting: '$(sync~spin)', running: '$(book)', stopped: '$(circle-slash)', error: '$(error)' };
    status.text = `${icons[kind]} pymastery`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = false;
    tip.appendMarkdown(`**pymastery** language server: ${kind}\n\n`);
    if (resolution?.ok) {
        tip.appendText(`${resolution.path} (${resolution.source})`);
        tip.appendMarkdown('\n\n');
    }
    if (detail) {
        tip.appendText(detail);
        tip.appendMarkdown('\n\n');
    }
    tip.appendMarkdown('Click to show the logs.');
    status.tooltip = tip;
    status.backgroundColor = kind === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    status.show();
}

async function reportMissing(message: string): Promise<void> {
    log.error(message);
    if (resolution && !resolution.ok) {
        log.error(`looked for: ${resolution.tried.join(', ') || '(nothing)'}`);
    }
    const choice = await vscode.window.showErrorMessage(message, 'Open settings', 'Show logs');
    if (choice === 'Open settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'pymastery.path');
    } else if (choice === 'Show logs') {
        log.show();
    }
}

function makeClient(command: string, raw: RawSettings): LanguageClient {
    const serverOptions: ServerOptions = {
        command,
        args: SERVER_ARGS,
        options: { env: serverEnv(process.env, raw, os.homedir(), workspaceFolder()) },
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [
            { scheme: 'file', language: 'python' },
            { scheme: 'untitled', language: 'python' },
        ],
        outputChannel: log,
        initializationOptions: serverSettings(raw),
        markdown: { isTrusted: false, supportHtml: false },
        synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/pyproject.toml') },
        middleware: {
            // The server's Markdown is rendered untrusted whatever the client library defaults to.
            provideHover: async (document, position, token, next) => {
                const hover = await next(document, position, token);
                if (!hover) {
                    return hover;
                }
                const contents = hover.contents.map((c) => {
                    if (c instanceof vscode.MarkdownString || typeof c === 'string') {
                        const value = typeof c === 'string' ? c : c.value;
                        const md = new vscode.MarkdownString(value, false);
                        return untrustMarkdown(md);
                    }
                    return c;
                });
                return new vscode.Hover(contents, hover.range);
            },
            // "Explain PM0105" code actions carry ["PM0105", "show"]: the server would answer
            // with a notification; show the text in a Markdown preview instead.
            executeCommand: async (command, args, next) => {
                if (command === EXPLAIN && args.length >= 2 && args[1] === 'show' && typeof args[0] === 'string') {
                    const text = await next(command, [args[0]]);
                    if (typeof text === 'string') {
                        await showExplanation(args[0], text);
                    }
                    return text;
                }
                return next(command, args);
            },
        },
    };
    const c = new LanguageClient('pymastery', 'pymastery', serverOptions, clientOptions);
    c.onDidChangeState((e) => {
        if (c !== client) {
            return;
        }
        if (e.newState === State.Running) {
            const version = c.initializeResult?.serverInfo?.version;
            setStatus('running', version ? `server version ${version}` : undefined);
        } else if (e.newState === State.Starting) {
            setStatus('starting');
        } else {
            setStatus('stopped');
        }
    });
    return c;
}

function enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
}

async function startClient(): Promise<void> {
    const raw = rawSettings();
    resolution = resolveServerBinary({
        configuredPath: typeof raw.path === 'string' ? raw.path : '',
        extensionPath: context.extensionPath,
        workspaceFolder: workspaceFolder(),
        envPath: process.env.PATH,
        pathExt: process.env.PATHEXT,
        platform: process.platform,
        homedir: os.homedir(),
        isExecutable,
    });
    if (!resolution.ok) {
        setStatus('error', resolution.message);
        void reportMissing(resolution.message);
        return;
    }
    log.info(`starting ${resolution.path} ${SERVER_ARGS.join(' ')} (found via ${resolution.source})`);
    setStatus('starting');
    const c = makeClient(resolution.path, raw);
    client = c;
    try {
        await c.start();
    } catch (e) {
        const message = `pymastery: the language server at ${resolution.path} failed to start: ${e instanceof Error ? e.message : String(e)}`;
        log.error(message);
        setStatus('error', message);
        void vscode.window.showErrorMessage(message, 'Open settings', 'Show logs').then(async (choice) => {
            if (choice === 'Open settings') {
                await vscode.commands.executeCommand('workbench.action.openSettings', 'pymastery.path');
            } else if (choice === 'Show logs') {
                log.show();
            }
        });
    }
}

async function stopClient(): Promise<void> {
    const c = client;
    client = undefined;
    if (!c) {
        return;
    }
    try {
        if (c.isRunning()) {
            await c.stop(2000);
        }
    } catch (e) {
        log.warn(`stopping the server: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
        await c.dispose(2000);
    } catch {
        // already stopped
    }
    setStatus('stopped');
}

function restart(): Promise<void> {
    return enqueue(async () => {
        await stopClient();
        await startClient();
    });
}

async function runningClient(): Promise<LanguageClient | undefined> {
    await queue;
    if (client && client.state === State.Running) {
        return client;
    }
    const choice = await vscode.window.showWarningMessage('pymastery: the language server is not running.', 'Restart server', 'Show logs');
    if (choice === 'Restart server') {
        await restart();
    } else if (choice === 'Show logs') {
        log.show();
    }
    return client && client.state === State.Running ? client : undefined;
}

async function serverCommand(name: string, arg: string): Promise<unknown> {
    const c = await runningClient();
    if (!c) {
        return undefined;
    }
    return c.sendRequest(ExecuteCommandRequest.type, { command: name, arguments: [arg] });
}

async function showExplanation(query: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: '/' + explanationFileName(query) });
    explanations.set(uri.toString(), explanationMarkdown(text));
    explanationChanged.fire(uri);
    log.info(`explained ${query}`);
    try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch (e) {
        log.warn(`Markdown preview unavailable (${e instanceof Error ? e.message : String(e)}); opening the text`);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { preview: true });
    }
}

async function explain(query: string): Promise<void> {
    const q = normaliseExplainQuery(query);
    if (q === '') {
        return;
    }
    try {
        const text = await serverCommand(EXPLAIN, q);
        if (typeof text === 'string') {
            await showExplanation(q, text);
        }
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        void vscode.window.showWarningMessage(`pymastery: ${message}`);
    }
}

function codeUnderCursor(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
        return undefined;
    }
    const pos = editor.selection.active;
    const ours = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'pymastery');
    const hit = ours.find((d) => d.range.contains(pos)) ?? ours.find((d) => d.range.start.line <= pos.line && pos.line <= d.range.end.line);
    return hit ? diagnosticCode(hit.code) : undefined;
}

async function explainCommand(arg?: unknown): Promise<void> {
    let query = typeof arg === 'string' ? arg : codeUnderCursor();
    if (query === undefined) {
        query = await vscode.window.showInputBox({
            title: 'pymastery: Explain rule',
            prompt: 'A rule code, a section of the book or a construct',
            placeHolder: 'PM0105, 1.5.1 or asyncio.gather',
        });
    }
    if (query !== undefined) {
        await explain(query);
    }
}

async function searchCommand(): Promise<void> {
    if (!(await runningClient())) {
        return;
    }
    type Item = vscode.QuickPickItem & { id: string };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = 'pymastery: Search the book';
    qp.placeholder = 'Search Staff-Level Python Mastery: "mutable default", "__slots__", "gather"...';
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    let timer: NodeJS.Timeout | undefined;
    let generation = 0;
    const run = async (value: string) => {
        const mine = ++generation;
        if (value.trim() === '') {
            qp.items = [];
            return;
        }
        qp.busy = true;
        try {
            const hits: SearchItem[] = searchItems(await serverCommand(SEARCH, value));
            if (mine === generation) {
                qp.items = hits.map((h) => ({ ...h, alwaysShow: true }));
            }
        } catch (e) {
            log.warn(`search failed: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
            if (mine === generation) {
                qp.busy = false;
            }
        }
    };
    qp.onDidChangeValue((v) => {
        if (timer) {
            clearTimeout(timer);
        }
        timer = setTimeout(() => void run(v), 150);
    });
    qp.onDidAccept(() => {
        const picked = qp.selectedItems[0];
        qp.hide();
        if (picked) {
            void explain(picked.id);
        }
    });
    qp.onDidHide(() => {
        if (timer) {
            clearTimeout(timer);
        }
        qp.dispose();
    });
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
    qp.show();
    if (selected && !selected.includes('\n')) {
        qp.value = selected;
        void run(selected);
    }
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    const reaction = reactionTo((s) => e.affectsConfiguration(s));
    if (reaction === 'restart') {
        log.info('pymastery.path or pymastery.book.path changed: restarting the server');
        void restart();
    } else if (reaction === 'notify') {
        const c = client;
        if (c && c.state === State.Running) {
            const settings = serverSettings(rawSettings());
            log.info(`settings changed: ${JSON.stringify(settings)}`);
            void c.sendNotification(DidChangeConfigurationNotification.type, { settings });
        }
    }
}

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
    context = ctx;
    log = vscode.window.createOutputChannel('pymastery', { log: true });
    status = vscode.window.createStatusBarItem('pymastery.status', vscode.StatusBarAlignment.Right, 100);
    status.name = 'pymastery';
    status.command = 'pymastery.showLogs';
    ctx.subscriptions.push(
        log,
        status,
        explanationChanged,
        vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
            onDidChange: explanationChanged.event,
            provideTextDocumentContent: (uri) => explanations.get(uri.toString()) ?? '',
        }),
        vscode.commands.registerCommand('pymastery.explainRule', explainCommand),
        vscode.commands.registerCommand('pymastery.search', searchCommand),
        vscode.commands.registerCommand('pymastery.restart', () => restart()),
        vscode.commands.registerCommand('pymastery.showLogs', () => log.show()),
        vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    );
    await enqueue(startClient);
}

export function deactivate(): Promise<void> {
    return enqueue(stopClient);
}
