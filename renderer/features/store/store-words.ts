import type {
  CatalogSourceInfo,
  InstallPlan,
  PluginChanges,
  StoreEntry,
} from '../../../shared/store';
import { capabilityTexts, countOf } from '../plugins/capabilities';

// The Store's words: sizes, trust, what an install does and what an update changes.

/** "812 bytes", "12.3 KB", "4.1 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return countOf(bytes, 'byte');
  const kib = bytes / 1024;
  if (kib < 1024) return `${kib < 10 ? kib.toFixed(1) : Math.round(kib)} KB`;
  const mib = kib / 1024;
  return `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MB`;
}

/** A catalog's name for people: its own name, or its address before it was read. */
export function catalogTitle(catalog: Pick<CatalogSourceInfo, 'name' | 'url'>): string {
  return catalog.name ?? catalog.url;
}

/** "“Example plugins”" */
export function quoted(text: string): string {
  return `“${text}”`;
}

/** Why the archive can be trusted, in one sentence. */
export function trustSentence(trust: InstallPlan['trust']): string {
  switch (trust.kind) {
    case 'catalog':
      return `Listed in the signed catalog ${quoted(trust.catalogName)}`;
    case 'signed':
      return `Signed by key ${trust.keyId} of catalog ${quoted(trust.catalogName)}`;
    case 'unsigned':
      return 'Unsigned: nobody vouches for this file';
  }
}

export const ACTION_VERB: Record<InstallPlan['action'], string> = {
  install: 'Install',
  update: 'Update',
  downgrade: 'Downgrade',
  reinstall: 'Reinstall',
};

/** The consent dialog's title: "Install “echo” 1.0.0?", "Update “echo” to 1.1.0?" */
export function planTitle(plan: Pick<InstallPlan, 'action' | 'name' | 'version'>): string {
  const name = quoted(plan.name);
  switch (plan.action) {
    case 'install':
      return `Install ${name} ${plan.version}?`;
    case 'update':
    case 'downgrade':
      return `${ACTION_VERB[plan.action]} ${name} to ${plan.version}?`;
    case 'reinstall':
      return `Reinstall ${name} ${plan.version}?`;
  }
}

/** What a store entry adds, in one line: "Adds 1 credential type and 1 tool for agents." */
export function entrySummary(entry: Pick<StoreEntry, 'credentialTypes' | 'tools'>): string {
  const parts = [
    entry.credentialTypes.length > 0 && countOf(entry.credentialTypes.length, 'credential type'),
    entry.tools.length > 0 && countOf(entry.tools.length, 'tool for agents', 'tools for agents'),
  ].filter((part): part is string => Boolean(part));
  if (parts.length === 0) return 'Adds no credential types or tools.';
  return `Adds ${parts.join(' and ')}.`;
}

export interface ChangeLine {
  key: string;
  /** New capabilities and tool descriptions are what the person must look at. */
  kind: 'added' | 'removed' | 'changed';
  text: string;
  /** For a changed tool description. */
  before?: string;
  after?: string;
}

/** Every change of an update, one line each, what widens first. */
export function changeLines(changes: PluginChanges): ChangeLine[] {
  const lines: ChangeLine[] = [];
  for (const line of capabilityTexts(changes.addedCapabilities))
    lines.push({ key: `+${line.key}`, kind: 'added', text: line.text });
  for (const tool of changes.addedTools)
    lines.push({
      key: `+tool:${tool.name}`,
      kind: 'added',
      text: `New tool for agents: ${tool.name}${tool.description ? ` — ${tool.description}` : ''}`,
    });
  for (const tool of changes.changedTools)
    lines.push({
      key: `~tool:${tool.name}`,
      kind: 'changed',
      text: `What agents are told about ${tool.name} changes`,
      before: tool.before,
      after: tool.after,
    });
  for (const type of changes.addedTypes)
    lines.push({ key: `+type:${type}`, kind: 'added', text: `New credential type: ${type}` });
  for (const line of capabilityTexts(changes.removedCapabilities))
    lines.push({
      key: `-${line.key}`,
      kind: 'removed',
      text: `No longer: ${line.text.charAt(0).toLowerCase()}${line.text.slice(1)}`,
    });
  for (const tool of changes.removedTools)
    lines.push({ key: `-tool:${tool}`, kind: 'removed', text: `Tool removed: ${tool}` });
  for (const type of changes.removedTypes)
    lines.push({ key: `-type:${type}`, kind: 'removed', text: `Credential type removed: ${type}` });
  return lines;
}

export const CHANGE_LABEL: Record<ChangeLine['kind'], string> = {
  added: 'New',
  removed: 'Removed',
  changed: 'Changed',
};
