import type { CredentialType } from '../../../shared/fields';

// The credential types Custodian ships, written in the same field schema that
// plugin manifests use.

// A host, optionally "*." for subdomains and ":port"; a list separated by commas, spaces or lines.
// "http://HOST:PORT" (no wildcard) allows exactly that host and port over plain
// http, private addresses included: see electron/core/net/allowed-hosts.ts.
const HOST = String.raw`(?:https?://)?(?:\*\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::[0-9]{1,5})?`;
export const HOST_LIST_PATTERN = String.raw`\s*${HOST}(?:[\s,]+${HOST})*[\s,]*`;

const allowedHosts = {
  name: 'allowed_hosts',
  label: 'Allowed hosts',
  type: 'textarea',
  required: false,
  secret: false,
  placeholder: 'api.example.com, *.example.org',
  help_text:
    'Hosts this credential may be sent to, separated by commas or new lines. Nothing is sent anywhere else.',
  validation_pattern: HOST_LIST_PATTERN,
  validation_message: 'List host names such as api.example.com, separated by commas or new lines',
  max_length: 4000,
} as const;

export const BUILTIN_CREDENTIAL_TYPES: CredentialType[] = [
  {
    name: 'api_key',
    display_name: 'API key',
    description: 'A token sent in an HTTP header, such as a bearer token.',
    fields: [
      {
        name: 'key',
        label: 'Key',
        type: 'password',
        required: true,
        secret: true,
        placeholder: 'sk-…',
        // Issue 14: a key this short is guessed quickly and hard to tell from
        // ordinary text when screening output.
        min_length: 8,
        max_length: 8192,
        // http_request sends it in a header: a pasted zero-width space is refused here.
        http_header: true,
      },
      {
        name: 'header_name',
        label: 'Header name',
        type: 'text',
        required: true,
        secret: false,
        default: 'Authorization',
        validation_pattern: "[!#$%&'*+.^_`|~0-9A-Za-z-]+",
        validation_message: 'An HTTP header name: letters, digits and - only',
        max_length: 100,
      },
      {
        name: 'header_prefix',
        label: 'Header prefix',
        type: 'text',
        required: false,
        secret: false,
        default: 'Bearer ',
        help_text: 'Written before the key in the header. Leave empty to send the key alone.',
        max_length: 100,
        http_header: true,
      },
      { ...allowedHosts },
    ],
  },
  {
    name: 'basic_auth',
    display_name: 'Username and password',
    description: 'HTTP Basic authentication.',
    fields: [
      {
        name: 'username',
        label: 'Username',
        type: 'text',
        required: true,
        secret: false,
        max_length: 256,
        validation_pattern: '[^:]*',
        validation_message: 'A Basic auth username cannot contain ":"',
      },
      {
        name: 'password',
        label: 'Password',
        type: 'password',
        required: true,
        secret: true,
        max_length: 1024,
      },
      { ...allowedHosts },
    ],
  },
  {
    name: 'secret_note',
    display_name: 'Secret note',
    description: 'Free text kept encrypted, such as recovery codes.',
    fields: [
      {
        name: 'note',
        label: 'Note',
        type: 'textarea',
        required: true,
        secret: true,
        max_length: 65_536,
      },
    ],
  },
];
