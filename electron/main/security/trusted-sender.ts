import { originOf } from './origin';

export interface SenderInfo {
  /** The URL of the frame that sent the IPC message. */
  senderUrl: string;
  /** True for the top-level frame of the window; sub-frames are never trusted. */
  isMainFrame: boolean;
}

/** An IPC call is ours only when it comes from the main frame of a page on an allowed origin. */
export function isTrustedSender(
  sender: SenderInfo | null | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (!sender || sender.isMainFrame !== true || typeof sender.senderUrl !== 'string') return false;
  const origin = originOf(sender.senderUrl);
  return origin !== null && allowedOrigins.includes(origin);
}
