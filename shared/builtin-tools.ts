// Tool names Custodian itself offers agents; no plugin may take one.
export const BUILTIN_TOOL_NAMES = ['list_credentials', 'credential_info', 'http_request'] as const;
