import type {
  InvokeChannel,
  InvokeOutcome,
  InvokeRequest,
  InvokeResponse,
  PushChannel,
  PushMap,
} from '../../src-main/ipc/contract';
import { fromEnvelope } from '../../src-main/ipc/errors';

/** What carries the contract: Electron's bridge or the dashboard's WebSocket. */
export interface Transport {
  invoke(channel: InvokeChannel, request: unknown): Promise<InvokeOutcome<unknown>>;
  on(channel: PushChannel, listener: (payload: unknown) => void): () => void;
  /** Connection state changes (the WebSocket reconnects by itself); the bridge is always up. */
  onStatus?(listener: (connected: boolean) => void): () => void;
}

/** The typed face of a transport: responses typed per channel, failures thrown as typed errors. */
export class Api {
  constructor(readonly transport: Transport) {}

  async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
    const outcome = await this.transport.invoke(channel, request);
    if (!outcome.ok) throw fromEnvelope(outcome.error);
    return outcome.result as InvokeResponse<C>;
  }

  on<C extends PushChannel>(channel: C, listener: (payload: PushMap[C]) => void): () => void {
    return this.transport.on(channel, (payload) => listener(payload as PushMap[C]));
  }
}
