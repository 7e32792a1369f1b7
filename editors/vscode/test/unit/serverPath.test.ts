import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { findServer } from '../../src/serverPath';

const scratchDirs: string[] = [];
after(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function scratch(): { dir: string; exe: (rel: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-path-'));
  scratchDirs.push(dir);
  const exe = (rel: string) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '#!/bin/sh\n');
    fs.chmodSync(file, 0o755);
    return file;
  };
  return { dir, exe };
}

test('the setting wins over the bundled binary and PATH', () => {
  const { dir, exe } = scratch();
  const mine = exe('custom/copydesk');
  exe('ext/server/copydesk');
  exe('bin/copydesk');
  const found = findServer({ setting: mine, extensionPath: path.join(dir, 'ext'), envPath: path.join(dir, 'bin'), platform: 'linux' });
  assert.deepEqual(found, { found: true, path: mine, source: 'setting' });
});

test('a relative setting is taken from the workspace folder', () => {
  const { dir, exe } = scratch();
  const mine = exe('ws/target/debug/copydesk');
  const found = findServer({ setting: 'target/debug/copydesk', extensionPath: dir, workspaceFolder: path.join(dir, 'ws'), envPath: '', platform: 'linux' });
  assert.deepEqual(found, { found: true, path: mine, source: 'setting' });
});

test('a setting naming no executable is an error that names the setting, not a fallback', () => {
  const { dir, exe } = scratch();
  exe('bin/copydesk');
  const found = findServer({ setting: path.join(dir, 'nope'), extensionPath: dir, envPath: path.join(dir, 'bin'), platform: 'linux' });
  assert.equal(found.found, false);
  assert.match(!found.found ? found.message : '', /copydesk\.path.*not an executable/);
});

test('then the binary bundled in the extension, then PATH', () => {
  const { dir, exe } = scratch();
  const onPath = exe('bin/copydesk');
  assert.deepEqual(findServer({ setting: '', extensionPath: path.join(dir, 'ext'), envPath: `/nonexistent${path.delimiter}${path.join(dir, 'bin')}`, platform: 'linux' }),
    { found: true, path: onPath, source: 'PATH' });
  const bundled = exe('ext/server/copydesk');
  assert.deepEqual(findServer({ setting: '', extensionPath: path.join(dir, 'ext'), envPath: path.join(dir, 'bin'), platform: 'linux' }),
    { found: true, path: bundled, source: 'bundled' });
});

test('a file that is not executable does not count', () => {
  const { dir } = scratch();
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'copydesk'), 'not a program');
  const found = findServer({ setting: '', extensionPath: dir, envPath: path.join(dir, 'bin'), platform: 'linux' });
  assert.equal(found.found, false);
});

test('nothing found: the message says how to fix it', () => {
  const found = findServer({ setting: '', extensionPath: '/nonexistent', envPath: '/nonexistent', platform: 'linux' });
  assert.equal(found.found, false);
  const message = !found.found ? found.message : '';
  assert.match(message, /not found on PATH/);
  assert.match(message, /cargo install/);
  assert.match(message, /copydesk\.path/);
});
