import { Component, type ReactNode } from 'react';
import { Button } from '../ui/Button';

interface State {
  failed: boolean;
}

/**
 * A render error would otherwise leave an empty window. The error itself is
 * not shown or logged: its message could quote what was on screen.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="screen screen-centered">
        <section className="card stack" role="alert">
          <h1 className="screen-heading">Something went wrong</h1>
          <p>Custodian hit an unexpected problem showing this screen. Your vault is unchanged.</p>
          <div className="actions">
            <Button variant="primary" onClick={() => window.location.reload()}>
              Reload
            </Button>
          </div>
        </section>
      </main>
    );
  }
}
