import type { DesktopBridge, InvokeChannel, InvokeOutcome, PushChannel } from '../../src-main/ipc/contract';
import type { Transport } from './transport';

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in a browser. */
    kubedesk?: DesktopBridge;
  }
}

/** The contract over the desktop app's preload bridge. */
export class BridgeTransport implements Transport {
  constructor(private readonly bridge: DesktopBridge) {}

  invoke(channel: InvokeChannel, request: unknown): Promise<InvokeOutcome<unknown>> {
    return this.bridge.invoke(channel, request);
  }

  on(channel: PushChannel, listener: (payload: unknown) => void): () => void {
    return this.bridge.on(channel, listener);
  }
}
