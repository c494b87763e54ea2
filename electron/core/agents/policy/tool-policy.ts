import { join } from 'node:path';
import { z } from 'zod';
import type { ToolMode } from '../../../../shared/agent-words';
import { toolModeSchema } from '../../../../shared/agents';
import { readFileIfExists, writeFileAtomic, type FileSystem } from '../../files/atomic-file';
import { Sequencer } from '../../../../shared/base/sequencer';

// Whether each tool an agent can see is off, asks the person, or runs freely.
// The file holds only modes the person chose; a tool never set follows its
// default, so a default changed in a later version reaches everyone who did
// not choose otherwise. No secrets here, so it lives unencrypted beside the
// vault and is readable while the vault is locked (the tray needs it then).

// The modes are the window's words too, so they are defined once in shared/.
export { TOOL_MODES, type ToolMode } from '../../../../shared/agent-words';
export { toolModeSchema } from '../../../../shared/agents';

/** What policy needs to know about a tool: its name, and whether it only reads. */
export interface PolicyTool {
  name: string;
  /** The tool cannot change anything or use a secret on the agent's behalf. */
  readOnly: boolean;
}

export interface ToolPolicyEntry extends PolicyTool {
  mode: ToolMode;
  /** True when the person never set this tool and it follows its default. */
  isDefault: boolean;
}

export interface ToolPolicyChange {
  tool: string;
  previous: ToolMode;
  mode: ToolMode;
  /**
   * The tool moved between off and on (ask or allow), so the set of tools an
   * agent sees changed and the bridge should send notifications/tools/list_changed.
   * ask <-> allow leaves the list as it was.
   */
  enabledSetChanged: boolean;
}

export type ToolPolicyListener = (change: ToolPolicyChange) => void;

/** Built-ins that only read metadata; everything else of ours asks. */
const READ_ONLY_BUILTINS: ReadonlySet<string> = new Set(['list_credentials', 'credential_info']);

export function defaultFor(tool: PolicyTool): ToolMode {
  if (READ_ONLY_BUILTINS.has(tool.name)) return 'allow';
  // http_request sends a secret to the network, whatever a caller claims.
  if (tool.name === 'http_request') return 'ask';
  return tool.readOnly ? 'allow' : 'ask';
}

export function isEnabled(mode: ToolMode): boolean {
  return mode !== 'off';
}

export const TOOL_POLICY_FILE = 'tool-policy.json';

// Tool names come from plugins, already capped upstream; this bound only keeps
// a hand-edited file from holding something absurd.
const toolNameSchema = z.string().min(1).max(200);
const fileSchema = z.object({
  version: z.literal(1),
  tools: z.record(toolNameSchema, toolModeSchema),
});

export interface ToolPolicyStoreOptions {
  dataDir: string;
  fs: FileSystem;
  log?: (message: string) => void;
}

export class ToolPolicyStore {
  private chosen: Map<string, ToolMode> | undefined;
  private loading: Promise<Map<string, ToolMode>> | undefined;
  // Changes run one after another so two at once cannot lose one.
  private readonly queue = new Sequencer();
  private readonly listeners = new Set<ToolPolicyListener>();

  constructor(private readonly options: ToolPolicyStoreOptions) {}

  get path(): string {
    return join(this.options.dataDir, TOOL_POLICY_FILE);
  }

  async get(tool: PolicyTool): Promise<ToolMode> {
    return (await this.load()).get(tool.name) ?? defaultFor(tool);
  }

  /** Each tool as given, with its mode and whether that is its default. */
  async list<T extends PolicyTool>(
    tools: readonly T[],
  ): Promise<(T & Pick<ToolPolicyEntry, 'mode' | 'isDefault'>)[]> {
    const chosen = await this.load();
    return tools.map((tool) => {
      const mode = chosen.get(tool.name);
      return { ...tool, mode: mode ?? defaultFor(tool), isDefault: mode === undefined };
    });
  }

  set(tool: PolicyTool, mode: ToolMode): Promise<ToolPolicyChange> {
    return this.queue.queue(() => this.apply(tool, mode));
  }

  /** Called after each saved change that altered a mode. Returns an unsubscribe function. */
  onChange(listener: ToolPolicyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async apply(tool: PolicyTool, mode: ToolMode): Promise<ToolPolicyChange> {
    toolNameSchema.parse(tool.name);
    toolModeSchema.parse(mode);
    const chosen = await this.load();
    const previous = chosen.get(tool.name) ?? defaultFor(tool);
    const change: ToolPolicyChange = {
      tool: tool.name,
      previous,
      mode,
      enabledSetChanged: isEnabled(previous) !== isEnabled(mode),
    };
    if (chosen.get(tool.name) === mode) return change;

    const next = new Map(chosen);
    next.set(tool.name, mode);
    await this.save(next);
    // Memory changes only once the file did, so a failed write changes nothing.
    this.chosen = next;
    if (previous !== mode) this.emit(change);
    return change;
  }

  private async save(chosen: Map<string, ToolMode>): Promise<void> {
    const { fs, dataDir } = this.options;
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    const body = {
      version: 1,
      tools: Object.fromEntries([...chosen].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
    await writeFileAtomic(this.path, Buffer.from(`${JSON.stringify(body, null, 2)}\n`), {
      fs,
      backup: false,
    });
  }

  private emit(change: ToolPolicyChange): void {
    for (const listener of this.listeners) {
      // One broken listener must not stop the others or undo a saved change.
      try {
        listener(change);
      } catch (error) {
        this.options.log?.(`A tool policy listener failed: ${describe(error)}`);
      }
    }
  }

  private load(): Promise<Map<string, ToolMode>> {
    if (this.chosen) return Promise.resolve(this.chosen);
    this.loading ??= this.read().then((chosen) => {
      this.chosen = chosen;
      return chosen;
    });
    return this.loading;
  }

  private async read(): Promise<Map<string, ToolMode>> {
    // A damaged or unreadable file falls back to defaults rather than keeping
    // agents (or the app) from starting; the defaults are the cautious ones.
    let raw: Buffer | null;
    try {
      raw = await readFileIfExists(this.options.fs, this.path);
    } catch (error) {
      this.warnDamaged(describe(error));
      return new Map();
    }
    if (!raw) return new Map();
    try {
      const parsed = fileSchema.parse(JSON.parse(raw.toString('utf8')));
      return new Map(Object.entries(parsed.tools));
    } catch (error) {
      this.warnDamaged(error instanceof z.ZodError ? 'unexpected contents' : describe(error));
      return new Map();
    }
  }

  private warnDamaged(reason: string): void {
    this.options.log?.(
      `${this.path} could not be read (${reason}); every tool uses its default setting until one is changed, which rewrites the file.`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
