import { TOOL_MODES, type ToolMode } from '../../../../shared/agent-words';
import { CustodianError } from '../../../../shared/errors';
import { withCore } from '../client';
import { printJson, printTable, say } from '../output';

export async function listTools(dataDir: string, json: boolean): Promise<number> {
  const { tools } = await withCore(dataDir, (core) => core.call('tools:policy', {}));
  if (json) printJson(tools);
  else if (tools.length === 0) say('no tools');
  else
    printTable(
      ['TOOL', 'MODE', 'SOURCE', 'DESCRIPTION'],
      tools.map((t) => [
        t.name,
        t.isDefault ? `${t.mode} (default)` : t.mode,
        t.source,
        firstLine(t.description),
      ]),
    );
  return 0;
}

export async function setTool(dataDir: string, name: string, mode: string): Promise<number> {
  if (!(TOOL_MODES as readonly string[]).includes(mode))
    throw new CustodianError('usage', `a tool's mode is ${TOOL_MODES.join(', ')}`);
  const { tool } = await withCore(dataDir, (core) =>
    core.call('tools:setMode', { name, mode: mode as ToolMode }),
  );
  say(`${tool.name} is now ${tool.mode}`);
  return 0;
}

const firstLine = (text: string) => text.split('\n', 1)[0] ?? '';
