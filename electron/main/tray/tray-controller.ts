import type { AgentToolInfo } from '../../../shared/agents';
import type { ToolMode } from '../../../shared/agent-words';
import {
  buildTrayMenu,
  toolToggle,
  TRAY_ITEM,
  type TrayMenuItem,
  type TrayState,
  type TrayTool,
} from './tray-menu';

// The tray's state and clicks, without Electron: it reads the core through a
// small port, remembers the mode a tool had before it was unchecked (so
// checking it again restores "ask" or "allow"), and turns clicks into core
// calls. tray.ts only draws the items this returns.

export interface TrayPort {
  vaultState(): Promise<TrayState['vault']>;
  /** What is wrong with the data folder or the socket, if anything. */
  problem?(): Promise<string | undefined>;
  clients(): Promise<{ name: string }[]>;
  tools(): Promise<AgentToolInfo[]>;
  setMode(tool: string, mode: ToolMode): Promise<unknown>;
  lock(): Promise<unknown>;
  open(): void;
  quit(): void;
  log(message: string): void;
}

export class TrayController {
  private tools: TrayTool[] = [];
  private readonly previous = new Map<string, ToolMode>();

  constructor(private readonly port: TrayPort) {}

  /** The menu for the state right now. */
  async menu(): Promise<TrayMenuItem[]> {
    const [vault, tools, clients, problem] = await Promise.all([
      this.port.vaultState(),
      this.port.tools().catch(() => [] as AgentToolInfo[]),
      this.port.clients(),
      this.port.problem?.().catch(() => undefined),
    ]);
    this.tools = tools.map((tool) => ({
      name: tool.name,
      mode: tool.mode,
      source: tool.source,
      previousMode: this.previous.get(tool.name),
      defaultMode: tool.defaultMode,
    }));
    return buildTrayMenu({ vault, clients, tools: this.tools, ...(problem ? { problem } : {}) });
  }

  /** A click on item `id`; `checked` is the checkbox's new state. */
  async click(id: string, checked = false): Promise<void> {
    try {
      if (id === TRAY_ITEM.lock) await this.port.lock();
      else if (id === TRAY_ITEM.open) this.port.open();
      else if (id === TRAY_ITEM.quit) this.port.quit();
      else {
        const toggle = toolToggle(id, checked, this.tools);
        if (!toggle) return;
        const current = this.tools.find((t) => t.name === toggle.tool)?.mode;
        if (toggle.mode === 'off' && current && current !== 'off')
          this.previous.set(toggle.tool, current);
        await this.port.setMode(toggle.tool, toggle.mode);
      }
    } catch (error) {
      this.port.log(`Tray action ${id} failed: ${(error as Error).message}`);
    }
  }
}
