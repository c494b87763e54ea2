import { contextBridge, ipcRenderer } from 'electron';
import { buildCustodianApi } from '../../shared/ipc/api';
import { CHANNELS, EVENT_NAMES } from '../../shared/ipc/channels';
import { createSubscribe } from './event-subscription';

// The page gets window.custodian, built from the contract's names, and
// nothing else: no ipcRenderer, no event objects, no Node.
contextBridge.exposeInMainWorld(
  'custodian',
  buildCustodianApi(
    CHANNELS,
    EVENT_NAMES,
    (channel, request) => ipcRenderer.invoke(channel, request),
    createSubscribe(ipcRenderer),
  ),
);
