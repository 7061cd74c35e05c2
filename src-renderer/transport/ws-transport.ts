import type { InvokeChannel, InvokeOutcome, PushChannel, ServerFrame } from '../../src-main/ipc/contract';
import type { Transport } from './transport';

type Pending = (outcome: InvokeOutcome<unknown>) => void;

/**
 * The contract over the dashboard's WebSocket. Requests made while disconnected wait for the
 * connection; requests in flight when it drops fail with a Transport error (the backend may or may
 * not have run them). Reconnects with backoff; listeners see `onStatus` changes so watches restart.
 */
export class WebSocketTransport implements Transport {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: string[] = [];
  private readonly listeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(connected: boolean) => void>();
  private retryMs = 250;

  constructor(private readonly url: string) {
    this.connect();
  }

  invoke(channel: InvokeChannel, request: unknown): Promise<InvokeOutcome<unknown>> {
    const id = this.nextId++;
    const frame = JSON.stringify({ t: 'invoke', id, channel, request });
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
      else this.queue.push(frame);
    });
  }

  on(channel: PushChannel, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onStatus(listener: (connected: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      for (const frame of this.queue.splice(0)) socket.send(frame);
      for (const listener of this.statusListeners) listener(true);
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.t === 'result') {
        const resolve = this.pending.get(frame.id);
        this.pending.delete(frame.id);
        resolve?.(frame.outcome);
      } else if (frame.t === 'push') {
        for (const listener of this.listeners.get(frame.channel) ?? []) listener(frame.payload);
      }
    };
    socket.onclose = () => {
      for (const [id, resolve] of this.pending) {
        resolve({
          ok: false,
          error: { kind: 'Transport', message: 'the connection to the dashboard server closed' },
        });
        this.pending.delete(id);
      }
      for (const listener of this.statusListeners) listener(false);
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5_000);
    };
  }
}

/** The socket URL of the page the dashboard was served as (token taken from its query). */
export function socketUrlFromLocation(location: Location): string | undefined {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return undefined;
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}
