import { revealInvisible } from '../../../shared/display-text';
import { canonicalJson, sha256Hex } from '../audit/canonical-json';
import type { AgentTool } from './tools/types';

// What the person approves and what the audit log hashes: one description of a
// tool call. The summary is the exact payload in readable form (the request
// line and host, the text to sign); the hash covers the tool's name and every
// argument, so an audit entry can be matched to the call it records.

/** Beyond this the summary is cut; the hash still covers the whole payload. */
export const SUMMARY_MAX_CHARS = 64 * 1024;

export interface CallDescription {
  /** The credential the call uses, as the agent named it; null when it names none. */
  credential: string | null;
  summary: string;
  /** What the audit log hashes: exactly the call the agent made. */
  payload: { tool: string; arguments: Record<string, unknown> };
  payloadHash: string;
}

export function describeCall(tool: AgentTool, args: Record<string, unknown>): CallDescription {
  const credential = typeof args.credential === 'string' ? args.credential : null;
  const payload = { tool: tool.name, arguments: args };
  const summary = tool.name === 'http_request' ? httpSummary(args) : parameterSummary(tool, args);
  return {
    credential,
    summary: cap(revealInvisible(summary)),
    payload,
    payloadHash: sha256Hex(canonicalJson(payload)),
  };
}

/** The request as it would go out: request line, Host, the agent's own headers, the body. */
function httpSummary(args: Record<string, unknown>): string {
  const method = typeof args.method === 'string' ? args.method : '(no method)';
  const raw = typeof args.url === 'string' ? args.url : '';
  let url: URL | undefined;
  try {
    url = new URL(raw);
    if (args.query && typeof args.query === 'object')
      for (const [key, value] of Object.entries(args.query as Record<string, unknown>))
        url.searchParams.append(key, shown(value));
  } catch {
    url = undefined;
  }
  const lines = url
    ? [`${method} ${url.href}`, `Host: ${url.host}`]
    : [`${method} ${raw || '(no url)'}`, 'Host: (not a valid URL)'];
  if (args.headers && typeof args.headers === 'object')
    for (const [name, value] of Object.entries(args.headers as Record<string, unknown>))
      lines.push(`${name}: ${shown(value)}`);
  lines.push('(plus the credential’s authentication, added by Custodian)');
  if (typeof args.body === 'string' && args.body !== '') lines.push('', args.body);
  return lines.join('\n');
}

/**
 * A value an agent sent, as text: a string as itself, anything else as JSON.
 * Never String(): an object such as {"toString": 1} cannot become a string that
 * way and would throw (found by the fuzzer, issue 14).
 */
function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/**
 * Each argument but the credential, one per line, a multi-line text below its
 * name; in the order the tool declares them (then any others), not the
 * agent's, so what frames the payload (ssh_sign's namespace) comes before the
 * payload itself whatever order the agent sent.
 */
function parameterSummary(tool: AgentTool, args: Record<string, unknown>): string {
  const lines: string[] = [];
  if (tool.source.kind === 'plugin')
    lines.push(`action ${tool.source.action} of plugin ${tool.source.plugin}`);
  const properties = tool.inputSchema.properties;
  const declared =
    properties && typeof properties === 'object' ? Object.keys(properties as object) : [];
  const rank = (key: string) => {
    const at = declared.indexOf(key);
    return at < 0 ? declared.length : at;
  };
  const entries = Object.entries(args)
    .filter(([key]) => key !== 'credential')
    .sort(([a], [b]) => rank(a) - rank(b));
  if (entries.length === 0) lines.push('(no arguments)');
  for (const [key, value] of entries) {
    const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    if (text.includes('\n')) lines.push(`${key}:`, text);
    else lines.push(`${key}: ${text}`);
  }
  return lines.join('\n');
}

function cap(text: string): string {
  if (text.length <= SUMMARY_MAX_CHARS) return text;
  // Never split a surrogate pair: half a character would show as garbage.
  const high = /[\uD800-\uDBFF]/.test(text.charAt(SUMMARY_MAX_CHARS - 1));
  const end = high ? SUMMARY_MAX_CHARS - 1 : SUMMARY_MAX_CHARS;
  const hidden = text.length - end;
  return `${text.slice(0, end)}\n… (${hidden} more characters not shown; the payload hash covers all of it)`;
}
