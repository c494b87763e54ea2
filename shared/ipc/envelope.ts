import type { ErrorShape } from '../errors';

/** What every IPC call answers: a result, or an error the renderer can show. */
export type Envelope<T> = { result: T } | { error: ErrorShape };
