// copydesk for VS Code: starts `copydesk server` for Markdown drafts and adds the commands
// and the status bar item. Everything else (findings, fixes, hovers, inlay hints, the quotes
// code lens, rename) comes from the language server through vscode-languageclient.

import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { findServer } from './serverPath';
import { serverSettings } from './settings';

/** The server's command that applies every safe fix to a draft (arguments: `[uri]`). */
const SERVER_FIX_ALL = 'copydesk.fixAll';
const SOURCE = 'copydesk';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
/** Why the server is not running, when it is not. */
let problem: string | undefined;
/** Serializes starts and stops (a restart while starting, a settings change meanwhile). */
let lifecycle: Promise<void> = Promise.resolve();

export interface CopydeskApi {
  /** The running client, for tests. */
  client(): LanguageClient | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<CopydeskApi> {
  output = vscode.window.createOutputChannel('copydesk', { log: true });
  status = vscode.window.createStatusBarItem('copydesk.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'copydesk';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('copydesk.fixAllSafeProblems', fixAllSafeProblems),
    vscode.commands.registerCommand('copydesk.restartServer', () => restart(context, true)),
    vscode.commands.registerCommand('copydesk.showOutput', () => output.show(true)),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.window.onDidChangeActiveTextEditor(() => updateStatus()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Everything else the server reads reaches it without a restart (workspace/configuration).
      if (event.affectsConfiguration('copydesk.path')) void restart(context, false);
    }),
    { dispose: () => void client?.stop() },
  );
  updateStatus();
  await restart(context, false);
  return { client: () => client };
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

function restart(context: vscode.ExtensionContext, userAsked: boolean): Promise<void> {
  lifecycle = lifecycle.then(async () => {
    const previous = client;
    client = undefined;
    if (previous) {
      output.info('stopping the server');
      try {
        await previous.stop();
      } catch (error) {
        output.warn(`stopping the server: ${error}`);
      }
      await previous.dispose().catch(() => undefined);
    }
    await start(context);
    if (userAsked && client) vscode.window.setStatusBarMessage('copydesk: server restarted', 3000);
  });
  return lifecycle;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('copydesk');
  const server = findServer({
    setting: config.get<string>('path', ''),
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
  if (!server.found) {
    problem = server.message;
    output.error(server.message);
    output.info(`PATH searched: ${process.env.PATH ?? ''}`);
    updateStatus();
    void vscode.window.showErrorMessage(server.message, 'Open Settings', 'Show Output').then((choice) => {
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'copydesk.path');
      if (choice === 'Show Output') output.show(true);
    });
    return;
  }
  output.info(`starting ${server.path} server (found via ${server.source})`);

  // vscode-languageclient appends `--stdio`, which `copydesk server` accepts and ignores.
  const serverOptions: ServerOptions = {
    command: server.path,
    args: ['server'],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: serverSettings(config),
    // The server answers a change notification by asking for the `copydesk` section again.
    synchronize: { configurationSection: 'copydesk' },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (!Array.isArray(values)) return values;
          return values.map((value, i) => {
            if (params.items[i]?.section !== 'copydesk') return value;
            const settings = serverSettings(value as Record<string, unknown>);
            output.info(`settings for the server: ${JSON.stringify(settings)}`);
            return settings;
          });
        },
      },
    },
  };
  const created = new LanguageClient('copydesk', 'copydesk', serverOptions, clientOptions);
  created.onDidChangeState(() => updateStatus());
  client = created;
  problem = undefined;
  updateStatus();
  try {
    await created.start();
  } catch (error) {
    problem = `copydesk: the server (${server.path}) failed to start: ${error instanceof Error ? error.message : error}`;
    output.error(problem);
    void vscode.window.showErrorMessage(problem, 'Show Output').then((choice) => {
      if (choice) output.show(true);
    });
  }
  updateStatus();
}

async function fixAllSafeProblems(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'markdown') {
    void vscode.window.showInformationMessage('copydesk: open a Markdown draft to fix.');
    return;
  }
  const running = client;
  if (!running || !running.isRunning()) {
    void vscode.window.showErrorMessage(problem ?? 'copydesk: the server is not running.', 'Show Output').then((choice) => {
      if (choice) output.show(true);
    });
    return;
  }
  const uri = running.code2ProtocolConverter.asUri(editor.document.uri);
  try {
    // The server answers with a `workspace/applyEdit` of every safe fix, in one versioned edit.
    const result = (await running.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_FIX_ALL,
      arguments: [uri],
    })) as { applied?: boolean } | null;
    if (!result?.applied) {
      void vscode.window.showInformationMessage('copydesk: no safe fixes to apply in this draft.');
    }
  } catch (error) {
    output.error(`fix all: ${error instanceof Error ? error.message : error}`);
    void vscode.window.showErrorMessage(`copydesk: fixing the draft failed: ${error instanceof Error ? error.message : error}`);
  }
}

function updateStatus(): void {
  if (!status) return;
  const editor = vscode.window.activeTextEditor;
  if (problem) {
    status.text = '$(error) copydesk';
    status.tooltip = `${problem}\nClick for copydesk's output.`;
    status.command = 'copydesk.showOutput';
    status.show();
    return;
  }
  if (!editor || editor.document.languageId !== 'markdown') {
    status.hide();
    return;
  }
  if (!client || client.state !== State.Running) {
    status.text = '$(sync~spin) copydesk';
    status.tooltip = 'copydesk: starting the server';
    status.command = 'copydesk.showOutput';
    status.show();
    return;
  }
  const findings = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === SOURCE);
  const count = (severity: vscode.DiagnosticSeverity) => findings.filter((d) => d.severity === severity).length;
  const errors = count(vscode.DiagnosticSeverity.Error);
  const warnings = count(vscode.DiagnosticSeverity.Warning);
  const icon = errors > 0 ? '$(error)' : warnings > 0 ? '$(warning)' : findings.length > 0 ? '$(info)' : '$(check)';
  status.text = `${icon} copydesk: ${findings.length}`;
  const name = editor.document.uri.path.split('/').pop();
  const parts = [
    `${errors} error${errors === 1 ? '' : 's'}`,
    `${warnings} warning${warnings === 1 ? '' : 's'}`,
    `${findings.length - errors - warnings} info and hints`,
  ];
  status.tooltip =
    findings.length === 0
      ? `copydesk: no findings in ${name}`
      : `copydesk: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${name} (${parts.join(', ')}).\nClick for the Problems panel.`;
  status.command = 'workbench.actions.view.problems';
  status.show();
}
