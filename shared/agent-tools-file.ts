import { z } from 'zod';
import { bridgeToolSchema } from './bridge-protocol';

// agent-tools.json in the data folder: the tools an agent may see, as the
// core last listed them with the vault open. The core writes it whenever that
// list changes; the bridge answers tools/list from it while it cannot reach
// the app (closed, or locked with its plugins unloaded), so an agent started
// before Custodian still knows the tools and hears "open Custodian" when it
// calls one. Nothing in it is secret: names, titles, descriptions, schemas
// and annotations.

export const AGENT_TOOLS_FILE = 'agent-tools.json';
/** Larger files are not read: the list is capped at 1000 tools. */
export const AGENT_TOOLS_FILE_MAX_BYTES = 8 * 1024 * 1024;

export const agentToolsFileSchema = z
  .object({ version: z.literal(1), tools: z.array(bridgeToolSchema).max(1000) })
  .strict();
export type AgentToolsFile = z.infer<typeof agentToolsFileSchema>;
