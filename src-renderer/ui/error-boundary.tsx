import type { ReactNode } from 'react';
import { Component } from 'react';
import { ErrorView } from './error-view';

/** Keeps a failing view from blanking the whole window; the next route renders afresh. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error?: unknown; key?: string }
> {
  override state: { error?: unknown; key?: string } = {};

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { error?: unknown; key?: string }) {
    return state.key === props.resetKey ? null : { error: undefined, key: props.resetKey };
  }

  override render() {
    return this.state.error ? (
      <ErrorView error={this.state.error} title="This view failed" />
    ) : (
      this.props.children
    );
  }
}
