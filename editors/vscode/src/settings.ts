// The settings the server reads, from the `copydesk` section of VS Code's settings.
//
// VS Code hands over the whole section, including what only the extension reads (`path`,
// `trace`) and the "not set" values of the settings editor (`""`); the server warns about
// keys it does not know and values it cannot read, so only what it reads is passed on.

export interface ServerSettings {
  style?: 'ap' | 'courtesy';
  rules: Record<string, string>;
  inlayHints: { enable: boolean };
  codeLens: { enable: boolean };
  documentationUrl?: string;
}

type Section = Record<string, unknown> | null | undefined;

function toggle(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value && typeof value === 'object' && typeof (value as { enable?: unknown }).enable === 'boolean') {
    return (value as { enable: boolean }).enable;
  }
  return true;
}

/** The server's settings from the `copydesk` section (as `getConfiguration('copydesk')` gives it). */
export function serverSettings(section: Section): ServerSettings {
  const s = section ?? {};
  const out: ServerSettings = {
    rules: {},
    inlayHints: { enable: toggle(s['inlayHints']) },
    codeLens: { enable: toggle(s['codeLens']) },
  };
  const style = s['style'];
  if (style === 'ap' || style === 'courtesy') out.style = style;
  const rules = s['rules'];
  if (rules && typeof rules === 'object' && !Array.isArray(rules)) {
    for (const [id, level] of Object.entries(rules as Record<string, unknown>)) {
      // A level the server cannot read is passed on: it names the mistake in a message.
      if (level !== null && level !== undefined && level !== '') out.rules[id] = String(level);
    }
  }
  const url = s['documentationUrl'];
  if (typeof url === 'string' && url.trim() !== '') out.documentationUrl = url.trim();
  return out;
}
