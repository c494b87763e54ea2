// The tools Custodian itself offers agents, exactly as an MCP client lists
// them: names, titles, descriptions, input and output schemas, annotations.
// The core lists them first; the bridge answers them when it has never
// reached the app (nothing in memory, no agent-tools.json yet). No plugin may
// take one of these names.

export const BUILTIN_TOOL_NAMES = ['list_credentials', 'credential_info', 'http_request'] as const;
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

/** MCP ToolAnnotations: hints for the client (Custodian's own policy does not trust them). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ObjectSchema {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  [key: string]: unknown;
}

/** One tool as MCP lists it. */
export interface BuiltinToolDefinition {
  name: BuiltinToolName;
  title: string;
  description: string;
  inputSchema: ObjectSchema;
  outputSchema: ObjectSchema;
  annotations: ToolAnnotations;
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

export const HTTP_REQUEST_DESCRIPTION =
  "Make an HTTP request with a stored credential's authentication added by Custodian. The request is sent only to the credential's allowed hosts (https, unless a host is explicitly allowed over http); the secret is never shown, and a response that contains a stored secret is withheld.";

export const HTTP_REQUEST_SCHEMA: ObjectSchema = {
  type: 'object',
  properties: {
    credential: {
      type: 'string',
      description:
        'Name of an API key or Username and password credential; its auth is added to the request.',
    },
    method: { type: 'string', enum: [...HTTP_METHODS] },
    url: {
      type: 'string',
      description: "Absolute https URL on one of the credential's allowed hosts.",
    },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Extra request headers. The auth header is set by Custodian.',
    },
    query: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
      description: 'Query parameters added to the URL.',
    },
    body: { type: 'string', description: 'Request body.' },
  },
  required: ['credential', 'method', 'url'],
  additionalProperties: false,
};

const text = { type: 'string' } as const;

export const BUILTIN_TOOLS: readonly BuiltinToolDefinition[] = [
  {
    name: 'list_credentials',
    title: 'List credentials',
    description:
      'List the credentials stored in Custodian: names, types and descriptions (never secret values). Optionally filter by text or by type.',
    inputSchema: {
      type: 'object',
      properties: {
        query: {
          type: 'string',
          description: 'Text to look for in names, types and descriptions.',
        },
        type: { type: 'string', description: 'Only credentials of this type, e.g. api_key.' },
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        credentials: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: text, type: text, type_name: text, description: text },
            required: ['name', 'type', 'type_name', 'description'],
          },
        },
      },
      required: ['credentials'],
    },
    annotations: {
      title: 'List credentials',
      readOnlyHint: true,
      idempotentHint: true,
      openWorldHint: false,
    },
  },
  {
    name: 'credential_info',
    title: 'Credential details',
    description:
      'Details of one credential by name: its type, description, dates and which fields are set (never their values).',
    inputSchema: {
      type: 'object',
      properties: { credential: { type: 'string', description: 'The credential’s name.' } },
      required: ['credential'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        name: text,
        type: text,
        type_name: text,
        description: text,
        created_at: text,
        updated_at: text,
        last_used_at: { type: ['string', 'null'] },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: text,
              label: text,
              secret: { type: 'boolean' },
              set: { type: 'boolean' },
            },
            required: ['name', 'label', 'secret', 'set'],
          },
        },
      },
      required: ['name', 'type', 'type_name', 'description', 'created_at', 'updated_at', 'fields'],
    },
    annotations: {
      title: 'Credential details',
      readOnlyHint: true,
      idempotentHint: true,
      openWorldHint: false,
    },
  },
  {
    name: 'http_request',
    title: 'HTTP request with a credential',
    description: HTTP_REQUEST_DESCRIPTION,
    inputSchema: HTTP_REQUEST_SCHEMA,
    outputSchema: {
      type: 'object',
      properties: {
        status: { type: 'integer', description: 'The HTTP status code.' },
        url: { type: 'string', description: 'The URL that answered, after redirects.' },
        headers: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'The response headers worth showing (cookies are dropped).',
        },
        body: { type: 'string' },
        truncated: { type: 'boolean', description: 'The body was cut to the size limit.' },
        body_chars: { type: 'integer', description: 'The whole body’s length, when cut.' },
      },
      required: ['status', 'url', 'headers', 'body'],
    },
    annotations: {
      title: 'HTTP request with a credential',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
  },
];
