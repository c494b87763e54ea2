import { join } from 'node:path';
import { AGENT_TOOLS_FILE, type AgentToolsFile } from '../../../shared/agent-tools-file';
import type { BridgeTool } from '../../../shared/bridge-protocol';
import { writeFileAtomic, type FileSystem } from '../files/atomic-file';

// Writes agent-tools.json (shared/agent-tools-file.ts), atomically, when the
// list an agent may see differs from what the file last got from here.

export class LastKnownTools {
  private written: string | undefined;

  constructor(private readonly options: { dataDir: string; fs: FileSystem }) {}

  get path(): string {
    return join(this.options.dataDir, AGENT_TOOLS_FILE);
  }

  async save(tools: readonly BridgeTool[]): Promise<void> {
    const file: AgentToolsFile = { version: 1, tools: [...tools] };
    const text = `${JSON.stringify(file, null, 2)}\n`;
    if (text === this.written) return;
    await writeFileAtomic(this.path, Buffer.from(text, 'utf8'), {
      fs: this.options.fs,
      backup: false,
    });
    this.written = text;
  }
}
