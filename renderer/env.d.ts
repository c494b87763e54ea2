/// <reference types="vite/client" />
import type { CustodianApi } from '../shared/ipc/api';

declare global {
  interface Window {
    /** Built by the preload from the shared contract; the renderer's only way out. */
    readonly custodian: CustodianApi;
  }
}

export {};
