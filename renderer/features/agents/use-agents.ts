import { useEffect } from 'react';
import { useQuery } from '../../api/use-query';

// What the Agents view reads, each kept current by the event main pushes.

export function useTools() {
  const query = useQuery('tools:list', {});
  const { reload } = query;
  useEffect(() => window.custodian.on('tools:changed', reload), [reload]);
  // Plugin tools come and go with the plugins (and with unlock).
  useEffect(() => window.custodian.on('plugins:changed', reload), [reload]);
  return query;
}

export function useAgentClients() {
  const query = useQuery('agents:clients', {});
  const { reload } = query;
  useEffect(() => window.custodian.on('agents:changed', reload), [reload]);
  return query;
}

export function useConnection() {
  return useQuery('agents:connection', {});
}
