import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import type { Locator, Page } from 'playwright-core';
import { launchDebianChromium } from '../../build/scripts/chromium';
import type { Core } from '../../electron/core/create-core';
import type { KdfCost } from '../../electron/core/crypto/argon2';
import type { KeyStore } from '../../electron/core/keychain/key-store';
import { createHeadlessCore, type HeadlessOptions } from '../../electron/headless/headless-core';
import { resolveRendererAsset } from '../../electron/main/protocol/resolve-asset';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security/csp';
import { buildCustodianApi } from '../../shared/ipc/api';
import { CHANNELS, EVENT_NAMES } from '../../shared/ipc/channels';

// The e2e rig: the built renderer, served under the production CSP, in Debian's
// Chromium, with window.custodian bound to the real handlers of a headless core
// (real vault, real Argon2id, real gnome-keyring through keytar). Nothing is faked.

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_ROOT = join(REPO_ROOT, 'out/renderer');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test/e2e/screenshots');

/** The Argon2id floor: real derivations, as fast as the core allows. */
export const TEST_KDF_COST: KdfCost = { memoryKiB: 19_456, iterations: 2, parallelism: 1 };

/** The window size the app opens at; 200% zoom is the same window with half the CSS pixels. */
export const WINDOW = { width: 1280, height: 900 } as const;
export const ZOOM_200 = { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 } as const;

export interface PageOptions {
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  /** Let the page write and read the clipboard (the Copy button). */
  clipboard?: boolean;
}

export interface IpcRecord {
  channel: string;
  /** The envelope as JSON, exactly what the page received. */
  response: string;
}

export interface Rig {
  core: Core;
  dataDir: string;
  vaultFile: string;
  keychainService: string;
  baseUrl: string;
  /** Every answer the page got from the core, to prove what never crossed into the renderer. */
  ipcLog: IpcRecord[];
  /** Page errors, console errors and CSP violations from every page: a test fails on any. */
  problems: string[];
  newPage(options?: PageOptions): Promise<Page>;
  screenshot(page: Page, name: string, mask?: Locator[]): Promise<void>;
  close(): Promise<void>;
}

export interface RigOptions {
  /** Another key store than the real keychain (e.g. one that is unreachable). */
  keyStore?: KeyStore;
  /** `{kind: 'window'}` to have ask-tools wait for the page's approval dialog; headless by default. */
  approvals?: HeadlessOptions['approvals'];
  /** Where Claude Desktop's config is looked for: a temporary home in tests. */
  claude?: HeadlessOptions['claude'];
  /** The plugin store: the test's 127.0.0.1 catalog server, no bundled catalog, a file to pick. */
  store?: HeadlessOptions['store'];
  /** Main's save dialog for "Install in Claude Desktop (.mcpb)": the test answers it. */
  pickBundleTarget?: HeadlessOptions['pickBundleTarget'];
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const indexHtml = join(RENDERER_ROOT, 'index.html');
  if (!existsSync(indexHtml) || !(await readFile(indexHtml, 'utf8')).includes('<script')) {
    throw new Error(
      'out/renderer holds no built renderer: run `npx electron-vite build` first (npm test does).',
    );
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true });

  const dataDir = await mkdtemp(join(tmpdir(), 'custodian-e2e-'));
  const keychainService = `custodian-e2e-${randomUUID()}`;
  const core = await createHeadlessCore({
    dataDir,
    keychainService,
    keyStore: options.keyStore,
    kdfCost: TEST_KDF_COST,
    approvals: options.approvals,
    claude: options.claude,
    store: options.store,
    pickBundleTarget: options.pickBundleTarget,
  });
  const server = await serveRenderer();
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchDebianChromium();

  const ipcLog: IpcRecord[] = [];
  const problems: string[] = [];
  const pages = new Set<Page>();

  // Main pushes every core event to the window; here each goes to every open page.
  const offEvents = EVENT_NAMES.map((event) =>
    core.events.on(event, (payload: unknown) => {
      for (const page of pages) {
        void page
          .evaluate(
            ([name, data]) => (globalThis as unknown as EmitHost).__custodianEmit(name, data),
            [event, payload] as const,
          )
          .catch(() => undefined);
      }
    }),
  );

  const newPage = async (options: PageOptions = {}): Promise<Page> => {
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: options.viewport ?? WINDOW,
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(15_000);
    if (options.clipboard) {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    }
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('close', () => pages.delete(page));
    // The same binding the preload makes with ipcRenderer.invoke, to the same handler table.
    await page.exposeBinding(
      '__custodianInvoke',
      async (_source, channel: unknown, payload: unknown) => {
        const envelope = await core.dispatch(channel, payload);
        ipcLog.push({ channel: String(channel), response: JSON.stringify(envelope) });
        return envelope;
      },
    );
    await page.addInitScript({ content: initScript() });
    pages.add(page);
    return page;
  };

  const screenshot = async (page: Page, name: string, mask: Locator[] = []) => {
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `${name}.png`),
      mask,
      maskColor: '#5b6472',
      animations: 'disabled',
      caret: 'hide',
    });
  };

  const close = async () => {
    for (const off of offEvents) off();
    await browser.close().catch(() => undefined);
    await new Promise<void>((done) => server.close(() => done()));
    // Stops the bridge, pending approvals, the plugin host process and locks the vault.
    await core.close().catch(() => undefined);
    await deleteKeychainEntries(keychainService);
    await rm(dataDir, { recursive: true, force: true });
  };

  return {
    core,
    dataDir,
    vaultFile: core.vault.path,
    keychainService,
    baseUrl,
    ipcLog,
    problems,
    newPage,
    screenshot,
    close,
  };
}

/** Removes every keychain entry of this test's service (the vault key among them). */
export async function deleteKeychainEntries(service: string): Promise<number> {
  const entries = await keytar.findCredentials(service);
  for (const { account } of entries) await keytar.deletePassword(service, account);
  return entries.length;
}

export async function keychainEntryCount(service: string): Promise<number> {
  return (await keytar.findCredentials(service)).length;
}

/**
 * What the preload does in the app, done in the page before any of its
 * scripts run: window.custodian built by the very same buildCustodianApi,
 * calling the exposed binding, plus a hook the rig uses to push events.
 * CSP violations are reported as console errors so a test fails on them.
 */
function initScript(): string {
  return `(() => {
  const listeners = new Map();
  const invoke = (channel, request) => window.__custodianInvoke(channel, request);
  const subscribe = (event, listener) => {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event).add(listener);
    return () => { listeners.get(event).delete(listener); };
  };
  Object.defineProperty(window, '__custodianEmit', {
    value: (event, payload) => { for (const listener of listeners.get(event) ?? []) listener(payload); },
  });
  const build = ${buildCustodianApi.toString()};
  Object.defineProperty(window, 'custodian', {
    value: Object.freeze(build(${JSON.stringify(CHANNELS)}, ${JSON.stringify(EVENT_NAMES)}, invoke, subscribe)),
  });
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline'));
  });
})();`;
}

/** Serves out/renderer like the app:// protocol does: same resolver, same CSP header. */
async function serveRenderer(): Promise<Server> {
  const server = createServer((request, response) => {
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const asset = request.method === 'GET' ? resolveRendererAsset(RENDERER_ROOT, pathname) : null;
    if (!asset) {
      response.writeHead(404, headers).end();
      return;
    }
    readFile(asset.file).then(
      (body) =>
        response.writeHead(200, { ...headers, 'content-type': asset.contentType }).end(body),
      () => response.writeHead(404, headers).end(),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', () => listening()));
  return server;
}

/** The hook initScript defines in the page (the page's global object, seen from Node's types). */
interface EmitHost {
  __custodianEmit(event: string, payload: unknown): void;
}
