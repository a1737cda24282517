// Starts `climb lsp` for the framework files named by the `climb.files`
// glob, and restarts it when either setting changes.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function start() {
  const config = vscode.workspace.getConfiguration("climb");
  const command = config.get("path", "climb");
  const files = config.get("files", "**/*.climb.toml");
  client = new LanguageClient(
    "climb",
    "climb",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", pattern: files }] },
  );
  return client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("climb")) {
        if (client) await client.stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
