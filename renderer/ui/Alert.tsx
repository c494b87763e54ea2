import type { ReactNode } from 'react';

interface Props {
  tone?: 'error' | 'warning' | 'info';
  children: ReactNode;
}

/** A message box. Errors and warnings use role="alert" so they are announced when they appear. */
export function Alert({ tone = 'error', children }: Props) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'info' ? 'status' : 'alert'}>
      {children}
    </div>
  );
}
