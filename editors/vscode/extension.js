// The asnrules extension: the grammar colours .asnr files; this client starts `asnrules lsp`
// (standard input/output) for diagnostics, quick fixes, hover, completion and the examples' verdicts.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("asnrules").get("command", ["asnrules", "lsp"]);
  const server = { command: command[0], args: command.slice(1), transport: TransportKind.stdio };
  client = new LanguageClient(
    "asnrules",
    "asnrules",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "asnr" }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
