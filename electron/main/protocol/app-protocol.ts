import { protocol } from 'electron';
import { APP_SCHEME } from '../app/renderer-target';
import { respondToAppRequest } from './app-request';

/** Must run before the app is ready: app:// behaves like https (standard, secure origin, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer from `root` on app://custodian/. Call once the app is ready. */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const response = await respondToAppRequest(request, root);
    return new Response(response.body, { status: response.status, headers: response.headers });
  });
}
