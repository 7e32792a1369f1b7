import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { serverSettings } from '../../src/settings';

test('the settings editor defaults become the server defaults, and extension-only keys stay behind', () => {
  const section = {
    path: '/usr/local/bin/copydesk',
    style: '',
    rules: {},
    inlayHints: { enable: true },
    codeLens: { enable: true },
    documentationUrl: '',
    trace: { server: 'off' },
  };
  assert.deepEqual(serverSettings(section), { rules: {}, inlayHints: { enable: true }, codeLens: { enable: true } });
});

test('set values pass through', () => {
  const section = {
    style: 'courtesy',
    rules: { 'repeated-word': 'error', 'attribution-verb': 'off', 'placeholder-text': '' },
    inlayHints: { enable: false },
    codeLens: { enable: false },
    documentationUrl: ' https://example.com/rules/{rule} ',
  };
  assert.deepEqual(serverSettings(section), {
    style: 'courtesy',
    rules: { 'repeated-word': 'error', 'attribution-verb': 'off' },
    inlayHints: { enable: false },
    codeLens: { enable: false },
    documentationUrl: 'https://example.com/rules/{rule}',
  });
  assert.deepEqual(serverSettings(null), { rules: {}, inlayHints: { enable: true }, codeLens: { enable: true } });
});

test('package.json contributes a setting for every key the server reads', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const keys = Object.keys(manifest.contributes.configuration.properties).sort();
  assert.deepEqual(keys, [
    'copydesk.codeLens.enable',
    'copydesk.documentationUrl',
    'copydesk.inlayHints.enable',
    'copydesk.path',
    'copydesk.rules',
    'copydesk.style',
    'copydesk.trace.server',
  ]);
  for (const key of keys) {
    const setting = manifest.contributes.configuration.properties[key];
    assert.ok(setting.description || setting.markdownDescription, `${key} has a description`);
  }
  // Every rule of docs/rules/README.md (generated from the rules) is offered with its levels.
  const index = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'rules', 'README.md'), 'utf8');
  const ids = [...index.matchAll(/^\| \[`([a-z0-9-]+)`\]/gm)].map((m) => m[1]);
  assert.ok(ids.length > 10);
  const offered = manifest.contributes.configuration.properties['copydesk.rules'].properties;
  for (const id of ids) assert.deepEqual(offered[id]?.enum, ['off', 'hint', 'info', 'warning', 'error'], id);
});
