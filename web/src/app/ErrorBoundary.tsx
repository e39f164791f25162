import { Component, type ReactNode } from 'react';
import { LoadError } from './StatusPages';

/** Keeps a failing page (or a chunk that failed to download after a deploy) from blanking the shell. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: unknown) {
    console.error('page failed', error);
  }

  override render() {
    return this.state.failed ? <LoadError /> : this.props.children;
  }
}
