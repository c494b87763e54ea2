#!/usr/bin/env node
// The peer of bridge_list_credentials: the MCP SDK's own stdio server with one
// list_credentials tool that answers a fixed list from memory. Whatever the
// bridge costs beyond this is the socket hop and the core's work.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const answer = process.argv[2] ?? '{"credentials":[]}';
const server = new Server({ name: 'bare', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({
  tools: [{ name: 'list_credentials', description: 'List', inputSchema: { type: 'object' } }],
}));
server.setRequestHandler(CallToolRequestSchema, () => ({
  content: [{ type: 'text', text: answer }],
}));
await server.connect(new StdioServerTransport());
