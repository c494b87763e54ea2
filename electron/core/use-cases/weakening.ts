import type { InstallSource } from '../../../shared/store';
import type { UseCaseName } from './create-use-cases';

// What weakens protection, in one place: the changes that take the person out
// of the loop or widen what Custodian trusts. Asked from the command line,
// each is confirmed by the person in the window every time, even inside an
// allowed session (AdminGate). The answer is what the dialog shows: what
// exactly changes. Everything not named here only needs the session.

type Describe = (input: never) => string | null;

const WEAKENING: Partial<Record<UseCaseName, Describe>> = {
  'tools.setMode': ({ name, mode }: { name: string; mode: string }) =>
    mode === 'allow'
      ? `Set the tool ${name} to allow: agents may run it without asking you.`
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
    return what.length ? `Install the plugin ${describeSource(source)}, ${what.join(', ')}.` : null;
  },
  'plugins.update': ({ name, acceptChanges }: { name: string; acceptChanges: boolean }) =>
    acceptChanges
      ? `Update the plugin ${name}, accepting wider capabilities than the installed version has.`
      : null,
  'catalogs.add': ({ url, publicKey }: { url: string; publicKey: string }) =>
    `Add the catalog ${url} (signing key ${publicKey}): the plugins it lists install as vouched for.`,
  'credentials.remove': (ref: { name: string } | { id: string }) =>
    `Remove the credential ${'name' in ref ? `"${ref.name}"` : ref.id} for good.`,
};

/**
 * What `name` run with `input` (already parsed) would weaken, in words for the
 * person; null when it weakens nothing.
 */
export function weakeningOf(name: UseCaseName, input: unknown): string | null {
  const describe = WEAKENING[name] as ((input: unknown) => string | null) | undefined;
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
