import { posix, win32 } from 'node:path';

// Where Claude Desktop reads its MCP servers from. Every input is injected so
// each platform's rule can be tested on any machine.

export const CLAUDE_CONFIG_FILE = 'claude_desktop_config.json';

export interface ClaudeConfigPathInput {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** Whether a path exists (e.g. fs.existsSync); used on Linux only. */
  exists: (path: string) => boolean;
}

export type ClaudeConfigLocation = { path: string } | { path: null; reason: string };

export function claudeConfigPath(input: ClaudeConfigPathInput): ClaudeConfigLocation {
  const { platform, env, homedir, exists } = input;
  switch (platform) {
    case 'darwin': {
      if (!posix.isAbsolute(homedir)) return { path: null, reason: 'The home folder is unknown.' };
      return {
        path: posix.join(homedir, 'Library', 'Application Support', 'Claude', CLAUDE_CONFIG_FILE),
      };
    }
    case 'win32': {
      // %APPDATA% is where Electron apps (Claude Desktop among them) keep their data.
      const appData = env.APPDATA;
      let base: string | undefined;
      if (appData && win32.isAbsolute(appData)) base = appData;
      else if (homedir && win32.isAbsolute(homedir))
        base = win32.join(homedir, 'AppData', 'Roaming');
      if (!base) return { path: null, reason: '%APPDATA% and the home folder are unknown.' };
      return { path: win32.join(base, 'Claude', CLAUDE_CONFIG_FILE) };
    }
    case 'linux': {
      // Claude Desktop has no official Linux build; community builds keep Electron's
      // appData rule ($XDG_CONFIG_HOME, else ~/.config). Only offered when that folder exists.
      const xdg = env.XDG_CONFIG_HOME;
      let base: string | undefined;
      if (xdg && posix.isAbsolute(xdg)) base = xdg;
      else if (posix.isAbsolute(homedir)) base = posix.join(homedir, '.config');
      if (!base) return { path: null, reason: 'The home folder is unknown.' };
      const folder = posix.join(base, 'Claude');
      if (!exists(folder)) {
        return {
          path: null,
          reason: `Claude Desktop's folder ${folder} does not exist; Claude Desktop does not seem to be installed.`,
        };
      }
      return { path: posix.join(folder, CLAUDE_CONFIG_FILE) };
    }
    default:
      return { path: null, reason: `Claude Desktop is not available on ${platform}.` };
  }
}
