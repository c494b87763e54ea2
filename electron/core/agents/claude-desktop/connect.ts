import type * as nodeFs from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic, type FileSystem } from '../../files/atomic-file';
import { SERVER_NAME, type McpServerEntry } from './bridge-entry';

// Adds or removes Custodian in Claude Desktop's claude_desktop_config.json and
// touches nothing else: other keys and servers stay, in their order; a file we
// cannot understand is refused and left exactly as it was.

export type ClaudeConfigFs = FileSystem & Pick<typeof nodeFs, 'lstat' | 'realpath'>;

export type ClaudeConfigErrorCode =
  'invalid-json' | 'not-an-object' | 'mcp-servers-not-object' | 'no-folder' | 'broken-link';

export class ClaudeConfigError extends Error {
  override readonly name = 'ClaudeConfigError';
  constructor(
    readonly code: ClaudeConfigErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectInput {
  /** From claudeConfigPath. */
  path: string;
  /** From bridgeEntry. */
  entry: McpServerEntry;
  fs: ClaudeConfigFs;
  /** Create the config's folder when it is missing (default true). */
  createFolder?: boolean;
}

export interface ConnectResult {
  status: 'connected' | 'updated' | 'already-connected';
  path: string;
  /** The copy of the previous file, when there was one. */
  backup?: string;
}

export interface DisconnectResult {
  status: 'disconnected' | 'not-connected';
  path: string;
  backup?: string;
}

export type ConnectionState = 'connected' | 'outdated' | 'not-connected';

type JsonObject = Record<string, unknown>;

interface ConfigDocument {
  /** The file actually written: the link's target when the config is a symbolic link. */
  target: string;
  existed: boolean;
  mode: number;
  root: JsonObject;
  servers: JsonObject | undefined;
  format: { bom: boolean; indent: string; eol: string; finalNewline: boolean };
}

export async function connectClaudeDesktop(input: ConnectInput): Promise<ConnectResult> {
  const { path, fs } = input;
  const entry = normalizeEntry(input.entry);
  const doc = await loadConfig(fs, path);
  const present = doc.servers !== undefined && Object.hasOwn(doc.servers, SERVER_NAME);
  if (present && jsonEqual(doc.servers?.[SERVER_NAME], entry)) {
    return { status: 'already-connected', path };
  }
  // Assigning on the parsed object keeps every other key where it was; a new
  // `custodian` (or `mcpServers`) goes last.
  if (doc.servers) doc.servers[SERVER_NAME] = entry;
  else doc.root.mcpServers = { [SERVER_NAME]: entry };
  const backup = await saveConfig(fs, path, doc, input.createFolder ?? true);
  return { status: present ? 'updated' : 'connected', path, ...(backup ? { backup } : {}) };
}

export async function disconnectClaudeDesktop(input: {
  path: string;
  fs: ClaudeConfigFs;
}): Promise<DisconnectResult> {
  const { path, fs } = input;
  const doc = await loadConfig(fs, path);
  if (!doc.servers || !Object.hasOwn(doc.servers, SERVER_NAME)) {
    return { status: 'not-connected', path };
  }
  delete doc.servers.custodian; // SERVER_NAME
  const backup = await saveConfig(fs, path, doc, false);
  return { status: 'disconnected', path, ...(backup ? { backup } : {}) };
}

/** What the Connect screen shows; reads only. Throws ClaudeConfigError for a file it cannot read. */
export async function claudeDesktopConnection(input: {
  path: string;
  entry: McpServerEntry;
  fs: ClaudeConfigFs;
}): Promise<ConnectionState> {
  const doc = await loadConfig(input.fs, input.path);
  if (!doc.servers || !Object.hasOwn(doc.servers, SERVER_NAME)) return 'not-connected';
  return jsonEqual(doc.servers[SERVER_NAME], normalizeEntry(input.entry))
    ? 'connected'
    : 'outdated';
}

function normalizeEntry(entry: McpServerEntry): McpServerEntry {
  if (
    !isObject(entry) ||
    typeof entry.command !== 'string' ||
    entry.command === '' ||
    !Array.isArray(entry.args) ||
    !entry.args.every((a) => typeof a === 'string') ||
    (entry.env !== undefined &&
      (!isObject(entry.env) || !Object.values(entry.env).every((v) => typeof v === 'string')))
  ) {
    throw new TypeError('Not a valid MCP server entry.');
  }
  return {
    command: entry.command,
    args: [...entry.args],
    ...(entry.env !== undefined ? { env: { ...entry.env } } : {}),
  };
}

async function resolveTarget(
  fs: ClaudeConfigFs,
  path: string,
): Promise<{ target: string; exists: boolean }> {
  let isLink: boolean;
  try {
    isLink = (await fs.lstat(path)).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { target: path, exists: false };
    throw error;
  }
  if (!isLink) return { target: path, exists: true };
  // Replacing a link by rename would turn it into a plain file (dotfile managers link
  // this file); write through to what it points at instead.
  try {
    return { target: await fs.realpath(path), exists: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ClaudeConfigError(
        'broken-link',
        path,
        `${path} is a link to a file that does not exist; it was left untouched.`,
      );
    }
    throw error;
  }
}

async function loadConfig(fs: ClaudeConfigFs, path: string): Promise<ConfigDocument> {
  const { target, exists } = await resolveTarget(fs, path);
  const format = { bom: false, indent: '  ', eol: '\n', finalNewline: true };
  if (!exists) {
    return { target, existed: false, mode: 0o600, root: {}, servers: undefined, format };
  }
  const bytes = await fs.readFile(target);
  const mode = (await fs.stat(target)).mode & 0o7777;
  const untouched = 'It was left untouched; fix or remove it, then connect again.';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ClaudeConfigError(
      'invalid-json',
      path,
      `${path} is not valid UTF-8 text. ${untouched}`,
    );
  }
  if (text.startsWith('\uFEFF')) {
    format.bom = true;
    text = text.slice(1);
  }
  let root: unknown;
  if (text.trim() === '') {
    root = {}; // An empty file holds nothing to lose.
  } else {
    try {
      root = JSON.parse(text);
    } catch (error) {
      // Only the position: V8's message can quote the file, which may hold other servers' tokens.
      const where = /(line \d+ column \d+|position \d+)/.exec(String(error))?.[1];
      throw new ClaudeConfigError(
        'invalid-json',
        path,
        `${path} is not valid JSON${where ? ` (at ${where})` : ''}. ${untouched}`,
      );
    }
  }
  if (!isObject(root)) {
    throw new ClaudeConfigError(
      'not-an-object',
      path,
      `${path} does not hold a JSON object at the top level. ${untouched}`,
    );
  }
  let servers: JsonObject | undefined;
  if (Object.hasOwn(root, 'mcpServers')) {
    const value = root.mcpServers;
    if (!isObject(value)) {
      throw new ClaudeConfigError(
        'mcp-servers-not-object',
        path,
        `"mcpServers" in ${path} is not a JSON object. ${untouched}`,
      );
    }
    servers = value;
  }
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indent) format.indent = indent.slice(0, 10);
  format.eol = text.includes('\r\n') ? '\r\n' : '\n';
  format.finalNewline = /\n\s*$/.test(text) || text.trim() === '';
  return { target, existed: true, mode, root, servers, format };
}

/** Writes the document atomically; returns the backup's path when a previous file was kept. */
async function saveConfig(
  fs: ClaudeConfigFs,
  path: string,
  doc: ConfigDocument,
  createFolder: boolean,
): Promise<string | undefined> {
  const { format } = doc;
  let text = JSON.stringify(doc.root, null, format.indent);
  if (format.finalNewline) text += '\n';
  if (format.eol === '\r\n') text = text.replace(/\n/g, '\r\n');
  if (format.bom) text = `\uFEFF${text}`;
  if (!doc.existed) {
    const folder = dirname(doc.target);
    try {
      await fs.stat(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!createFolder) {
        throw new ClaudeConfigError('no-folder', path, `The folder ${folder} does not exist.`);
      }
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    }
  }
  await writeFileAtomic(doc.target, Buffer.from(text, 'utf8'), { fs, backup: doc.existed });
  if (!doc.existed) return undefined;
  // The temp file is created 0600; give the config back the mode it had.
  if (doc.mode !== 0o600) await fs.chmod(doc.target, doc.mode);
  return `${doc.target}.bak`;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values; object key order does not matter. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i]))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
  );
}
