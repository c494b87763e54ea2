import { z } from 'zod';
import { pluginNameSchema } from '../../../shared/manifest';
import {
  installRequestSchema,
  installSourceSchema,
  type StoreProgress,
} from '../../../shared/store';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { PluginStore } from '../store/plugin-store';
import { useCase } from './use-case';

// Installed plugins: list, turn on and off, install, update, remove. Plugins
// exist only while the vault is open, so most of these require it. The window
// installs in two steps (prepare shows what it grants, install with the
// plan's token); the command line in one, its command being the consent.

export interface PluginUseCaseServices {
  plugins: PluginRegistry;
  store: PluginStore;
  /** Tells the window how far a download is (store:progress). */
  progress: (progress: StoreProgress) => void;
  /** Main's open dialog for an archive; absent where there is no person to ask. */
  pickFile?: () => Promise<string | null>;
}

const empty = z.object({});
const named = z.object({ name: pluginNameSchema });

export function pluginUseCases({ plugins, store, progress, pickFile }: PluginUseCaseServices) {
  return {
    'plugins.list': useCase({
      callers: ['window', 'cli'],
      requires: 'unlocked',
      input: empty,
      run: () => plugins.listShown(),
    }),
    'plugins.setEnabled': useCase({
      callers: ['window'],
      requires: 'unlocked',
      input: named.extend({ enabled: z.boolean() }),
      run: ({ name, enabled }) => plugins.setEnabled(name, enabled),
    }),
    'plugins.remove': useCase({
      callers: ['window', 'cli'],
      requires: 'unlocked',
      input: named,
      run: ({ name }) => plugins.uninstall(name),
    }),
    /** From a catalog, a file or a URL in one step; widening an update needs acceptChanges. */
    'plugins.install': useCase({
      callers: ['cli'],
      requires: 'unlocked',
      input: z.object({
        source: installSourceSchema,
        allowUnsigned: z.boolean().default(false),
        allowDowngrade: z.boolean().default(false),
        acceptChanges: z.boolean().default(false),
      }),
      run: ({ source, ...choices }) => store.installNow(source, choices),
    }),
    /** To the highest version its catalog lists; `updated: false` when already there. */
    'plugins.update': useCase({
      callers: ['cli'],
      requires: 'unlocked',
      input: named.extend({ acceptChanges: z.boolean().default(false) }),
      run: async ({ name, acceptChanges }) => ({
        name,
        ...(await store.update(name, { acceptChanges })),
      }),
    }),
    /** Downloads and checks a catalog's archive; what installing it would grant. */
    'plugins.prepare': useCase({
      callers: ['window'],
      input: z.object({
        catalogId: z.string().min(1).max(64),
        name: z.string().min(1).max(64),
        version: z.string().max(64).optional(),
        progressId: z.string().min(1).max(64),
      }),
      run: ({ catalogId, name, version, progressId }) =>
        store.prepare({ kind: 'catalog', catalogId, name, version }, (received, total) =>
          progress({ progressId, received, total }),
        ),
    }),
    /** null when the person closes the dialog. */
    'plugins.prepareFile': useCase({
      callers: ['window'],
      input: empty,
      run: async () => {
        // The path comes from the dialog in main, never from the caller.
        const path = await pickFile?.();
        return path ? store.prepare({ kind: 'file', path }) : null;
      },
    }),
    /** The person agreed to a prepared plan. */
    'plugins.installPrepared': useCase({
      callers: ['window'],
      input: installRequestSchema,
      run: ({ token, allowUnsigned, allowDowngrade }) =>
        store.install(token, { allowUnsigned, allowDowngrade }),
    }),
    'plugins.cancelPrepared': useCase({
      callers: ['window'],
      input: z.object({ token: z.string().min(1).max(100) }),
      run: ({ token }) => ({ cancelled: store.cancel(token) }),
    }),
  };
}
