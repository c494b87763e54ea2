import type { StoreProgress } from '../../../shared/store';
import type { PluginStore } from '../store/plugin-store';
import type { HandlerTable } from './dispatch';

export interface StoreHandlerServices {
  store: PluginStore;
  /** Tells the window how far a download is (store:progress). */
  progress: (progress: StoreProgress) => void;
  /** Main's open dialog for an archive; absent where there is no person to ask. */
  pickFile?: () => Promise<string | null>;
}

type StoreChannels =
  | 'store:catalogs'
  | 'store:addCatalog'
  | 'store:removeCatalog'
  | 'store:refresh'
  | 'store:browse'
  | 'store:prepare'
  | 'store:prepareFile'
  | 'store:install'
  | 'store:cancel';

/** The window's side of the plugin store: catalogs, browsing, and install with consent. */
export function createStoreHandlers(
  services: StoreHandlerServices,
): Pick<HandlerTable, StoreChannels> {
  const { store } = services;
  return {
    'store:catalogs': () => store.listCatalogs(),
    'store:addCatalog': ({ url, publicKey }) => store.addCatalog(url, publicKey),
    'store:removeCatalog': ({ id }) => store.removeCatalog(id),
    'store:refresh': ({ id }) => store.refresh(id),
    'store:browse': () => store.browse(),
    'store:prepare': ({ catalogId, name, version, progressId }) =>
      store.prepare({ kind: 'catalog', catalogId, name, version }, (received, total) =>
        services.progress({ progressId, received, total }),
      ),
    'store:prepareFile': async () => {
      // The path comes from the dialog in main, never from the renderer.
      const path = await services.pickFile?.();
      return path ? store.prepare({ kind: 'file', path }) : null;
    },
    'store:install': ({ token, allowUnsigned, allowDowngrade }) =>
      store.install(token, { allowUnsigned, allowDowngrade }),
    'store:cancel': ({ token }) => ({ cancelled: store.cancel(token) }),
  };
}
