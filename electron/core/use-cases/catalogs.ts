import { z } from 'zod';
import type { PluginStore } from '../store/plugin-store';
import { useCase } from './use-case';

// The catalogs plugins come from, and what they offer. A catalog is fetched
// and its signature checked before it is added; a refused refresh keeps the
// previous copy (PluginStore's rules).

export interface CatalogUseCaseServices {
  store: PluginStore;
}

const catalogId = z.string().min(1).max(64);

export function catalogUseCases({ store }: CatalogUseCaseServices) {
  return {
    /** The bundled catalog first. */
    'catalogs.list': useCase({
      callers: ['window', 'cli'],
      input: z.object({}),
      run: () => store.listCatalogs(),
    }),
    'catalogs.add': useCase({
      callers: ['window', 'cli'],
      input: z.object({ url: z.string().min(1).max(2000), publicKey: z.string().min(1).max(200) }),
      run: ({ url, publicKey }) => store.addCatalog(url, publicKey),
    }),
    'catalogs.remove': useCase({
      callers: ['window', 'cli'],
      input: z.object({ id: catalogId }),
      run: ({ id }) => store.removeCatalog(id),
    }),
    /** One source, or every remote one. */
    'catalogs.refresh': useCase({
      callers: ['window', 'cli'],
      input: z.object({ id: catalogId.optional() }),
      run: ({ id }) => store.refresh(id),
    }),
    /** Every plugin of every catalog (its highest version there), with installed state. */
    'catalogs.browse': useCase({
      callers: ['window'],
      input: z.object({}),
      run: () => store.browse(),
    }),
  };
}
