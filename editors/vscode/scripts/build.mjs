// Bundles the extension with esbuild into out/extension.js (vscode-languageclient included,
// so the .vsix needs no node_modules). `--production` minifies; `--tests` bundles the unit
// tests into out-test/ for `node --test`.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };

if (process.argv.includes('--tests')) {
  const dir = path.join(root, 'test', 'unit');
  const tests = fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f));
  fs.rmSync(path.join(root, 'out-test'), { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints: tests, outdir: path.join(root, 'out-test'), sourcemap: 'inline' });
} else {
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'src', 'extension.ts')],
    outfile: path.join(root, 'out', 'extension.js'),
    external: ['vscode'],
    minify: production,
    sourcemap: production ? false : 'linked',
  });
}
