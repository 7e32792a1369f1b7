// Writes the `copydesk.rules` setting's schema in package.json from the rule index in
// docs/rules/README.md (generated from the rules' doc comments), so the settings editor
// offers every rule id with its summary and default. `--check` only compares, for tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const manifestPath = path.join(here, '..', 'package.json');
const indexPath = path.join(here, '..', '..', '..', 'docs', 'rules', 'README.md');

/** Ids the server accepts in `rules` that are reported by another rule (`also_reports`). */
const ALSO_REPORTED = {
  'unclosed-bracket': { summary: 'A bracket or parenthesis that is never closed (reported by stray-punctuation)', level: 'error' },
};
export const LEVELS = ['off', 'hint', 'info', 'warning', 'error'];

export function rulesFromIndex(markdown) {
  const rules = {};
  for (const line of markdown.split('\n')) {
    const m = line.match(/^\| \[`([a-z0-9-]+)`\]\([^)]*\) \| (\w+) \| (.*) \|$/);
    if (m) rules[m[1]] = { level: m[2], summary: m[3].trim() };
  }
  return { ...rules, ...ALSO_REPORTED };
}

export function rulesSchema(rules) {
  const properties = {};
  for (const id of Object.keys(rules).sort()) {
    const { summary, level } = rules[id];
    properties[id] = {
      type: 'string',
      enum: LEVELS,
      markdownDescription: `${summary.replace(/\.$/, '')}. Default: \`${level}\`.`,
    };
  }
  return properties;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const wanted = rulesSchema(rulesFromIndex(fs.readFileSync(indexPath, 'utf8')));
  const setting = manifest.contributes.configuration.properties['copydesk.rules'];
  if (process.argv.includes('--check')) {
    if (JSON.stringify(setting.properties) !== JSON.stringify(wanted)) {
      console.error('package.json: copydesk.rules is out of date with docs/rules/README.md; run `npm run gen-rules`');
      process.exit(1);
    }
  } else {
    setting.properties = wanted;
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    console.log(`copydesk.rules: ${Object.keys(wanted).length} rules`);
  }
}
