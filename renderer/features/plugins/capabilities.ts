import {
  capabilityTexts,
  SECRET_VALUES_KEY,
  type CapabilityText,
} from '../../../shared/capability-words';
import type { PluginInfo } from '../../../shared/plugins';

// The words live in shared/ so the CLI and the core's messages say the same.
export {
  capabilityTexts,
  describeHost,
  type CapabilityText,
} from '../../../shared/capability-words';

export interface CapabilityLine extends CapabilityText {
  granted: boolean;
}

/**
 * What a plugin's manifest asks to do, one line each, and whether the person
 * granted it. A capability granted but not asked for is never in effect, so it
 * is not listed.
 */
export function capabilityLines(
  plugin: Pick<PluginInfo, 'capabilities' | 'granted' | 'abi'>,
): CapabilityLine[] {
  const { capabilities: asked, granted } = plugin;
  return capabilityTexts(asked, plugin.abi).map((line) => ({
    ...line,
    granted:
      line.key === SECRET_VALUES_KEY
        ? plugin.abi === 'vultrino' || granted.secret_access === 'values'
        : line.key === 'crypto'
          ? granted.crypto
          : line.key === 'log'
            ? granted.log
            : granted.http.includes(line.key.slice('http:'.length)),
  }));
}

/** "1 credential type", "2 actions": a count with its noun. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
