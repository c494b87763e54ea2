import type { ToolMode } from '../../../shared/agent-words';
import type { Segment } from '../../ui/SegmentedControl';

export const MODE_SEGMENTS: readonly Segment<ToolMode>[] = [
  { value: 'off', label: 'Off' },
  { value: 'ask', label: 'Ask' },
  { value: 'allow', label: 'Allow' },
];

export const MODE_LABEL: Record<ToolMode, string> = { off: 'Off', ask: 'Ask', allow: 'Allow' };

/** Where a tool comes from, in words. */
export function toolSource(source: string): string {
  return source === 'built-in' ? 'Built-in' : `Plugin ${source}`;
}
