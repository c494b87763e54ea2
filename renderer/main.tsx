import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// React logs render errors with their messages by default; a message could
// quote a value on screen, so only the error's kind and where it happened are logged.
const logRenderError = (error: unknown, info: { componentStack?: string }) =>
  console.error(
    `Render error (${error instanceof Error ? error.name : typeof error})`,
    info.componentStack ?? '',
  );

createRoot(container, {
  onCaughtError: logRenderError,
  onUncaughtError: logRenderError,
}).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
