// Runs editors/vscode/extension.js under stand-ins for the two modules VS Code provides
// (`vscode`, `vscode-languageclient/node`): the stand-in client starts the server the extension
// configures and speaks the protocol to it, as VS Code's client would (tests/test_vscode.py).
// Usage: node run.js EXTENSION_DIR FILE.asnr '["command", "arg"...]'|default
"use strict";
const Module = require("module");
const path = require("path");
const fs = require("fs");
const { spawn } = require("child_process");

const [extensionDir, file, setting] = process.argv.slice(2);
const report = { setting: null, selector: null, server: null, answers: {} };

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    report.server = serverOptions.run;
    report.selector = clientOptions.documentSelector;
    report.debugSame = JSON.stringify(serverOptions.run) === JSON.stringify(serverOptions.debug);
  }
  start() {
    const { command, args } = report.server;
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
      this.child = child;
      let buffer = Buffer.alloc(0);
      const waiting = new Map();
      child.on("error", reject);
      child.stdout.on("data", (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const end = buffer.indexOf("\r\n\r\n");
          if (end < 0) return;
          const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, end).toString("ascii"))[1]);
          if (buffer.length < end + 4 + length) return;
          const message = JSON.parse(buffer.slice(end + 4, end + 4 + length).toString("utf8"));
          buffer = buffer.slice(end + 4 + length);
          if (message.id !== undefined && waiting.has(message.id)) {
            waiting.get(message.id)(message);
            waiting.delete(message.id);
          } else if (message.method === "textDocument/publishDiagnostics") {
            report.answers.diagnostics = message.params.diagnostics.map((d) => [d.code, d.range.start.line]);
            this.onDiagnostics && this.onDiagnostics();
          } else if (message.id !== undefined && message.method) {
            child.stdin.write(frame({ jsonrpc: "2.0", id: message.id, result: null })); // a server's request
          }
        }
      });
      let next = 1;
      const request = (method, params) =>
        new Promise((done) => {
          const id = next++;
          waiting.set(id, done);
          child.stdin.write(frame({ jsonrpc: "2.0", id, method, params }));
        });
      const notify = (method, params) => child.stdin.write(frame({ jsonrpc: "2.0", method, params }));
      (async () => {
        const uri = "file://" + path.resolve(file);
        const init = await request("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
        report.answers.capabilities = Object.keys(init.result.capabilities).sort();
        notify("initialized", {});
        const published = new Promise((done) => (this.onDiagnostics = done));
        const text = fs.readFileSync(file, "utf8");
        notify("textDocument/didOpen", { textDocument: { uri, languageId: "asnr", version: 1, text } });
        await published;
        const lenses = await request("textDocument/codeLens", { textDocument: { uri } });
        report.answers.lenses = lenses.result.map((l) => l.command.title);
        resolve();
      })().catch(reject);
    });
  }
  async stop() {
    if (!this.child) return;
    this.child.stdin.write(frame({ jsonrpc: "2.0", id: 999, method: "shutdown" }));
    this.child.stdin.write(frame({ jsonrpc: "2.0", method: "exit" }));
    await new Promise((done) => this.child.on("exit", (code) => ((report.exit = code), done())));
  }
}

const stand_ins = {
  vscode: {
    workspace: {
      getConfiguration: (section) => ({
        get: (key, fallback) => {
          report.setting = `${section}.${key}`;
          return setting === "default" ? fallback : JSON.parse(setting);
        },
      }),
    },
  },
  "vscode-languageclient/node": { LanguageClient, TransportKind: { stdio: 0 } },
};
const load = Module._load;
Module._load = function (request, parent, isMain) {
  return Object.prototype.hasOwnProperty.call(stand_ins, request) ? stand_ins[request] : load(request, parent, isMain);
};

const extension = require(path.join(path.resolve(extensionDir), "extension.js"));
const context = { subscriptions: [] };
const timer = setTimeout(() => {
  console.error("no answer from the server in 60 s");
  process.exit(2);
}, 60000);
extension
  .activate(context)
  .then(() => extension.deactivate())
  .then(() => {
    clearTimeout(timer);
    report.subscriptions = context.subscriptions.length;
    process.stdout.write(JSON.stringify(report));
  })
  .catch((error) => {
    console.error(String(error));
    process.exit(1);
  });
