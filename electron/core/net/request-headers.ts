import { capCodePoints, describeCharacter, revealInvisible } from '../../../shared/display-text';
import {
  firstNonFieldValueCharacter,
  firstNonTokenCharacter,
  HTTP_TOKEN,
} from '../../../shared/http-grammar';

// The one check of request headers someone else asked for (an agent's
// http_request, a plugin's custodian_http): before any request is made, every
// name is an HTTP token, every value is what a header can carry, and none is a
// header the client owns. A refusal names the header and the character; it
// never quotes a value, and for a sensitive header (one that may be built from
// a credential) not even the character.

// Headers the client owns: a caller setting Host could reach another site
// behind the granted address, the others would break framing or the connection.
const CLIENT_OWNED = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'http2-settings',
]);

const NAME_SHOWN_MAX = 40;

/**
 * Why this header may not be sent, or undefined when it may. `sensitive`
 * holds lower-case names whose values are never described.
 */
export function requestHeaderProblem(
  name: string,
  value: unknown,
  sensitive: ReadonlySet<string>,
): string | undefined {
  if (!HTTP_TOKEN.test(name)) {
    const shown = revealInvisible(capCodePoints(name, NAME_SHOWN_MAX));
    const bad = firstNonTokenCharacter(name);
    return bad === undefined
      ? 'a header name is empty'
      : `header name "${shown}" is not an HTTP token: ${describeCharacter(bad)} is not allowed in one`;
  }
  const lower = name.toLowerCase();
  if (CLIENT_OWNED.has(lower) || lower.startsWith('proxy-'))
    return `header "${lower}" is set by the client, not the caller`;
  if (typeof value !== 'string') return `header "${lower}" must be text`;
  const bad = firstNonFieldValueCharacter(value);
  if (bad === undefined) return undefined;
  return sensitive.has(lower)
    ? `header "${lower}" holds a character HTTP cannot carry (the value is not shown)`
    : `header "${lower}" holds ${describeCharacter(bad)}, which HTTP cannot carry in a header`;
}
