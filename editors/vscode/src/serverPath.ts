// Where the `copydesk` binary is: the `copydesk.path` setting, then a binary bundled in the
// extension (`server/copydesk`), then `copydesk` on PATH.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ServerPath =
  | { found: true; path: string; source: 'setting' | 'bundled' | 'PATH' }
  | { found: false; message: string };

export interface Where {
  /** The `copydesk.path` setting (may be empty). */
  setting: string;
  /** The extension's folder. */
  extensionPath: string;
  /** The first workspace folder, for a relative `copydesk.path`. */
  workspaceFolder?: string;
  /** The environment's PATH. */
  envPath?: string;
  platform?: NodeJS.Platform;
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    if (platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function expandSetting(setting: string, workspaceFolder: string | undefined): string {
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  p = p.replace(/\$\{userHome\}/g, os.homedir());
  if (workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  if (!path.isAbsolute(p) && (p.includes('/') || p.includes('\\'))) {
    p = path.resolve(workspaceFolder ?? process.cwd(), p);
  }
  return p;
}

const INSTALL_HINT =
  'Install it (`cargo install --path .` in a copydesk checkout puts `copydesk` on PATH) or set `copydesk.path` to the binary.';

export function findServer(where: Where): ServerPath {
  const platform = where.platform ?? process.platform;
  const exe = platform === 'win32' ? 'copydesk.exe' : 'copydesk';
  const envPath = where.envPath ?? process.env.PATH ?? '';
  const search = (name: string): string | undefined => {
    for (const dir of envPath.split(path.delimiter)) {
      if (!dir) continue;
      const candidate = path.join(dir, name);
      if (isExecutable(candidate, platform)) return candidate;
    }
    return undefined;
  };

  if (where.setting.trim() !== '') {
    const p = expandSetting(where.setting, where.workspaceFolder);
    if (path.isAbsolute(p)) {
      if (isExecutable(p, platform)) return { found: true, path: p, source: 'setting' };
      return {
        found: false,
        message: `copydesk: \`copydesk.path\` is set to "${where.setting}", but ${p} is not an executable file. Fix the setting, or clear it to use \`copydesk\` on PATH.`,
      };
    }
    // A bare command name: look it up on PATH.
    const onPath = search(p);
    if (onPath) return { found: true, path: onPath, source: 'setting' };
    return {
      found: false,
      message: `copydesk: \`copydesk.path\` is set to "${where.setting}", which is not on PATH. Give the full path to the binary.`,
    };
  }

  const bundled = path.join(where.extensionPath, 'server', exe);
  if (isExecutable(bundled, platform)) return { found: true, path: bundled, source: 'bundled' };

  const onPath = search(exe);
  if (onPath) return { found: true, path: onPath, source: 'PATH' };

  return { found: false, message: `copydesk: the \`copydesk\` binary was not found on PATH. ${INSTALL_HINT}` };
}
