import { describe, expect, it } from 'vitest';
import {
  buildTrayMenu,
  MAX_TOOL_LABEL,
  sanitizeToolName,
  toolItemId,
  toolToggle,
  type TrayState,
  type TrayTool,
} from '../../../electron/main/tray/tray-menu';

const tools: TrayTool[] = [
  { name: 'list_credentials', mode: 'allow', source: 'built-in' },
  { name: 'http_request', mode: 'ask', source: 'built-in' },
  { name: 'pgp_sign', mode: 'off', source: 'pgp', previousMode: 'allow', defaultMode: 'ask' },
];

const state = (over: Partial<TrayState>): TrayState => ({
  vault: 'unlocked',
  clients: [],
  tools,
  ...over,
});

const byId = (items: ReturnType<typeof buildTrayMenu>, id: string) =>
  items.find((i) => i.id === id);

describe('buildTrayMenu', () => {
  it('status line for each vault state and client count', () => {
    const status = (s: Partial<TrayState>) => byId(buildTrayMenu(state(s)), 'status');
    expect(status({ vault: 'locked' })).toMatchObject({ label: 'Locked', enabled: false });
    expect(status({ vault: 'absent' })?.label).toBe('No vault yet');
    expect(status({ clients: [] })?.label).toBe('Unlocked — no agents connected');
    expect(status({ clients: [{ name: 'Claude' }] })?.label).toBe('Unlocked — 1 agent connected');
    expect(status({ clients: [{ name: 'Claude' }, { name: 'Cursor' }] })?.label).toBe(
      'Unlocked — 2 agents connected',
    );
  });

  it('the unlocked menu, in order', () => {
    expect(buildTrayMenu(state({ clients: [{ name: 'Claude' }, { name: 'x' }] }))).toEqual([
      { id: 'status', label: 'Unlocked — 2 agents connected', type: 'normal', enabled: false },
      { id: 'separator:status', type: 'separator' },
      {
        id: 'tool:list_credentials',
        label: 'list_credentials',
        type: 'checkbox',
        checked: true,
        enabled: true,
      },
      {
        id: 'tool:http_request',
        label: 'http_request (asks first)',
        type: 'checkbox',
        checked: true,
        enabled: true,
      },
      { id: 'tool:pgp_sign', label: 'pgp_sign', type: 'checkbox', checked: false, enabled: true },
      { id: 'separator:tools', type: 'separator' },
      { id: 'lock', label: 'Lock', type: 'normal', enabled: true },
      { id: 'open', label: 'Open Custodian', type: 'normal', enabled: true },
      { id: 'separator:quit', type: 'separator' },
      { id: 'quit', label: 'Quit Custodian', type: 'normal', enabled: true },
    ]);
  });

  it('Lock is disabled unless unlocked; Open and Quit always there', () => {
    for (const vault of ['locked', 'absent'] as const) {
      const items = buildTrayMenu(state({ vault }));
      expect(byId(items, 'lock')?.enabled).toBe(false);
      expect(byId(items, 'open')?.enabled).toBe(true);
      expect(byId(items, 'quit')?.enabled).toBe(true);
    }
  });

  it('no tools: no tool items and no empty section', () => {
    const items = buildTrayMenu(state({ vault: 'absent', tools: [] }));
    expect(items.map((i) => i.id)).toEqual([
      'status',
      'separator:status',
      'lock',
      'open',
      'separator:quit',
      'quit',
    ]);
  });

  it('ids are unique, even when two tools share a name', () => {
    const items = buildTrayMenu(
      state({ tools: [...tools, { name: 'pgp_sign', mode: 'allow', source: 'evil' }] }),
    );
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(byId(items, 'tool:pgp_sign')?.checked).toBe(false); // the first one wins
  });

  it('hostile tool names are sanitised in labels; ids keep the real name', () => {
    const hostile = [
      'sign\u202Egnp\u202C', // bidi override
      'zero\u200Bwidth\u2060joiner\uFEFF',
      'new\nline\r\tand\u0007bell\u0000',
      'tag\u{E0041}\u{E0042}chars',
      'x'.repeat(500),
      '\u200B\u200B',
      '😀'.repeat(100),
    ];
    const items = buildTrayMenu(
      state({ tools: hostile.map((name) => ({ name, mode: 'ask' as const, source: 'p' })) }),
    );
    const labels = hostile.map((name) => byId(items, toolItemId(name))?.label ?? '');
    expect(labels.slice(0, 4)).toEqual([
      'signgnp (asks first)',
      'zerowidthjoiner (asks first)',
      'new line andbell (asks first)',
      'tagchars (asks first)',
    ]);
    expect(labels[4]).toBe(`${'x'.repeat(MAX_TOOL_LABEL - 1)}… (asks first)`);
    expect(labels[5]).toBe('(unnamed tool) (asks first)');
    // Capped by code points: no surrogate pair is cut in half.
    expect(Array.from((labels[6] ?? '').replace(' (asks first)', ''))).toHaveLength(MAX_TOOL_LABEL);
    expect(labels[6]).toBe(`${'😀'.repeat(MAX_TOOL_LABEL - 1)}… (asks first)`);
    for (const label of labels) {
      expect(label).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      expect(() => encodeURIComponent(label)).not.toThrow(); // no lone surrogate
    }
  });

  it('sanitizeToolName leaves ordinary names alone', () => {
    expect(sanitizeToolName('github.create_issue')).toBe('github.create_issue');
    expect(sanitizeToolName('  Übersetzen  ')).toBe('Übersetzen');
  });
});

describe('toolToggle', () => {
  it('unchecked turns a tool off', () => {
    expect(toolToggle('tool:list_credentials', false, tools)).toEqual({
      tool: 'list_credentials',
      mode: 'off',
    });
    expect(toolToggle('tool:http_request', false, tools)).toEqual({
      tool: 'http_request',
      mode: 'off',
    });
  });

  it('checked restores the previous mode, else the default, else ask', () => {
    expect(toolToggle('tool:pgp_sign', true, tools)).toEqual({ tool: 'pgp_sign', mode: 'allow' });
    const t = (extra: Partial<TrayTool>): TrayTool[] => [
      { name: 't', mode: 'off', source: 'p', ...extra },
    ];
    expect(toolToggle('tool:t', true, t({ defaultMode: 'allow' }))?.mode).toBe('allow');
    expect(toolToggle('tool:t', true, t({ previousMode: 'ask', defaultMode: 'allow' }))?.mode).toBe(
      'ask',
    );
    expect(toolToggle('tool:t', true, t({ previousMode: 'off', defaultMode: 'off' }))?.mode).toBe(
      'ask',
    );
    expect(toolToggle('tool:t', true, t({}))?.mode).toBe('ask');
  });

  it('checked on a tool already on keeps its mode', () => {
    expect(toolToggle('tool:http_request', true, tools)).toEqual({
      tool: 'http_request',
      mode: 'ask',
    });
    expect(toolToggle('tool:list_credentials', true, tools)?.mode).toBe('allow');
  });

  it('round trip: the id of a menu item maps back to that tool, whatever its name', () => {
    const odd: TrayTool[] = [{ name: 'tool:with:colons\u202E', mode: 'allow', source: 'p' }];
    const item = buildTrayMenu(state({ tools: odd })).find((i) => i.type === 'checkbox');
    expect(item).toBeDefined();
    expect(toolToggle(item?.id ?? '', false, odd)).toEqual({
      tool: 'tool:with:colons\u202E',
      mode: 'off',
    });
  });

  it('unknown and non-tool ids give null', () => {
    expect(toolToggle('tool:nope', true, tools)).toBe(null);
    expect(toolToggle('lock', true, tools)).toBe(null);
    expect(toolToggle('quit', false, tools)).toBe(null);
  });
});
