export * from './messages';
export type { RpcPort } from './port';
export { RpcClient, type RpcCallOptions, type RpcClientOptions } from './rpc-client';
export { RpcServer, type RpcContext, type RpcServerOptions } from './rpc-server';
export { defaultError, errorBodyOf } from './rpc-error';
export type { RpcTimers } from './timers';
export { PushPort } from './push-port';
export { leadingId, LEADING_ID_SCAN } from './leading-id';
