// The tools agents see: built-ins (list_credentials, credential_info,
// http_request) and every loaded plugin's mcp_tools.
export * from '../../net/allowed-hosts';
export * from './http-request';
export * from './json-schema';
export * from './text';
export * from './tool-catalog';
export * from './tool-list';
export * from './types';
