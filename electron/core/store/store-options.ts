// How a composition root configures the plugin store. Main passes the system
// file dialog and the bundled catalog from the app's resources; headless loads
// the bundled catalog from out/store; tests allow their 127.0.0.1 server.

export interface BundledStore {
  /** The signed catalog envelope shipped with the app. */
  envelope: string;
  /** The raw Ed25519 key (base64) it was signed with, shipped beside it. */
  publicKey: string;
  /** The folder holding the archives the catalog names as `bundled:FILE.zip`. */
  archivesDir: string;
}

export interface StoreOptions {
  /**
   * Exact "host:port" pairs the store may reach on loopback over plain http
   * (a test's 127.0.0.1 server). Empty in the app: catalogs and archives are https.
   */
  allowPrivate?: readonly string[];
  /** The first-party catalog; none when absent (a build without `npm run store:build`). */
  bundled?: BundledStore | null;
  /** Asks the person for a plugin archive (main: the system's open dialog); null when cancelled. */
  pickFile?: () => Promise<string | null>;
}
