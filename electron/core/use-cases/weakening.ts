import type { InstallSource } from '../../../shared/store';
import type { UseCaseName } from './create-use-cases';

// What weakens protection, in one place: the changes that take the person out
// of the loop or widen what Custodian trusts. Asked from the command line,
// each is confirmed by the person in the window every time, even inside an
// allowed session (AdminGate). The answer is what the dialog shows: what
// exactly changes. Everything not named here only needs the session.

/** What a change weakens: in full for the dialog, and in a few words for the audit log. */
export interface Weakening {
  what: string;
  short: string;
}

type Describe = (input: never) => Weakening | null;

const WEAKENING: Partial<Record<UseCaseName, Describe>> = {
  'tools.setMode': ({ name, mode }: { name: string; mode: string }) =>
    mode === 'allow'
      ? {
          what: `Set the tool ${name} to allow: agents may run it without asking you.`,
          short: `${name} set to allow`,
        }
      : null,
  'plugins.install': ({
    source,
    allowUnsigned,
    allowDowngrade,
    acceptChanges,
  }: {
    source: InstallSource;
    allowUnsigned: boolean;
    allowDowngrade: boolean;
    acceptChanges: boolean;
  }) => {
    const what = [
      allowUnsigned ? 'even if nobody vouches for it (unsigned)' : null,
      allowDowngrade ? 'even if it is older than the installed version (downgrade)' : null,
      acceptChanges ? 'accepting wider capabilities than the installed version has' : null,
    ].filter((part) => part !== null);
    const flags = [
      allowUnsigned ? 'unsigned' : null,
      allowDowngrade ? 'downgrade' : null,
      acceptChanges ? 'wider capabilities' : null,
    ].filter((part) => part !== null);
    return what.length
      ? {
          what: `Install the plugin ${describeSource(source)}, ${what.join(', ')}.`,
          short: `plugin install (${flags.join(', ')})`,
        }
      : null;
  },
  'plugins.update': ({ name, acceptChanges }: { name: string; acceptChanges: boolean }) =>
    acceptChanges
      ? {
          what: `Update the plugin ${name}, accepting wider capabilities than the installed version has.`,
          short: `${name} updated with wider capabilities`,
        }
      : null,
  'catalogs.add': ({ url, publicKey }: { url: string; publicKey: string }) => ({
    what: `Add the catalog ${url} (signing key ${publicKey}): the plugins it lists install as vouched for.`,
    short: `catalog ${url} added`,
  }),
  'credentials.remove': (ref: { name: string } | { id: string }) => {
    const which = 'name' in ref ? `"${ref.name}"` : ref.id;
    return {
      what: `Remove the credential ${which} for good.`,
      short: `credential ${which} removed`,
    };
  },
};

/**
 * What `name` run with `input` (already parsed) would weaken, in words for the
 * person; null when it weakens nothing.
 */
export function weakeningOf(name: UseCaseName, input: unknown): Weakening | null {
  const describe = WEAKENING[name] as ((input: unknown) => Weakening | null) | undefined;
  return describe ? describe(input) : null;
}

function describeSource(source: InstallSource): string {
  switch (source.kind) {
    case 'catalog':
    case 'name':
      return `${source.name}${source.version ? `@${source.version}` : ''}`;
    case 'file':
      return `from the file ${source.path}`;
    case 'url':
      return `from ${source.url}`;
  }
}
