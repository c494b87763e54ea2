#!/usr/bin/env node
// durable_floor: the SDK's bare stdio server whose tool call makes one round
// trip over a Unix socket to a second process (durable-peer.mjs) that appends
// one line to a file and fsyncs it before answering, then answers the same
// text bare-mcp-server.mjs answers. No policy, no audit chain, no vault: the
// least an MCP tool call with one durable record behind it can cost on this
// machine, which is what the agent figures are set beside.
// argv: the answer text, a scratch folder (short: Unix socket paths are capped).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const answer = process.argv[2] ?? '{"credentials":[]}';
const folder = process.argv[3];
if (!folder) throw new Error('usage: durable-mcp-server.mjs ANSWER FOLDER');
const socketPath = join(folder, 'floor.sock');

const peer = spawn(
  process.execPath,
  [join(import.meta.dirname, 'durable-peer.mjs'), socketPath, join(folder, 'floor.log')],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const [ready] = await once(peer.stdout, 'data');
if (!String(ready).startsWith('ready')) throw new Error('the durable peer did not start');

const socket = connect(socketPath);
await once(socket, 'connect');
socket.setEncoding('utf8');
// Answers come back in order, one line per request.
const waiting = [];
let buffered = '';
socket.on('data', (chunk) => {
  buffered += chunk;
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    buffered = buffered.slice(end + 1);
    waiting.shift()?.();
  }
});
let seq = 0;
const durable = (record) =>
  new Promise((resolve) => {
    waiting.push(resolve);
    socket.write(`${JSON.stringify({ seq: seq++, ...record })}\n`);
  });

const server = new Server({ name: 'floor', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({
  tools: [{ name: 'list_credentials', description: 'List', inputSchema: { type: 'object' } }],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  await durable({ tool: request.params.name, time: new Date().toISOString() });
  return { content: [{ type: 'text', text: answer }] };
});
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => peer.stdin.end());
