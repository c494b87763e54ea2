import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AGENT_TOOLS_FILE,
  AGENT_TOOLS_FILE_MAX_BYTES,
  agentToolsFileSchema,
} from '../../shared/agent-tools-file';
import type { BridgeTool } from '../../shared/bridge-protocol';
import { BUILTIN_TOOLS } from '../../shared/builtin-tools';

// The tools the bridge answers with while it cannot ask the app: the list the
// core last wrote to agent-tools.json, read afresh each time (the app may
// have changed it since), or the built-ins before the app ever ran. A file
// that is missing, too large or not the expected shape counts as none.

/** The built-in tools, exactly as the app lists them. */
export function builtinTools(): BridgeTool[] {
  return structuredClone(BUILTIN_TOOLS) as unknown as BridgeTool[];
}

export class LastKnownToolsFile {
  private complained = false;

  constructor(
    private readonly dataDir: string,
    private readonly log: (message: string) => void,
  ) {}

  get path(): string {
    return join(this.dataDir, AGENT_TOOLS_FILE);
  }

  read(): BridgeTool[] | undefined {
    let text: string;
    try {
      if (statSync(this.path).size > AGENT_TOOLS_FILE_MAX_BYTES)
        return this.unusable('it is too large');
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return this.unusable((error as NodeJS.ErrnoException).code ?? 'it cannot be read');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.unusable('it is not JSON');
    }
    const parsed = agentToolsFileSchema.safeParse(value);
    if (!parsed.success) return this.unusable('it is not a tool list');
    this.complained = false;
    return parsed.data.tools;
  }

  /** Said once until the file is good again: the bridge reads it on every list. */
  private unusable(why: string): undefined {
    if (!this.complained) this.log(`Ignoring ${this.path}: ${why}.`);
    this.complained = true;
    return undefined;
  }
}
