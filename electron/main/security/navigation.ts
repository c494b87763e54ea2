import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import { originOf } from './origin';

// The window shows one page. It may reload that page; it may not go anywhere
// else, open windows, or be redirected.

const ENTRY_PATHS = new Set(['/', '/index.html']);

/** A navigation (or redirect) is allowed only back to the entry page of an allowed origin. */
export function isAllowedNavigation(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  if (origin === null || !allowedOrigins.includes(origin)) return false;
  return ENTRY_PATHS.has(new URL(url).pathname);
}

/** For setWindowOpenHandler: no window.open, no target=_blank, no middle-click tab. */
export function denyWindowOpen(_details?: HandlerDetails): WindowOpenHandlerResponse {
  return { action: 'deny' };
}
