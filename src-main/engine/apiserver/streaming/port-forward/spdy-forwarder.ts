import type { Duplex } from 'node:stream';
import type { SpdySession, SpdyStream } from '../spdy/session';
import { forwardError, parsePort } from './dial';
import type { PodDialer } from './dial';

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
  started?: boolean;
}

/**
 * Serves port-forwarding on a SPDY session (`portforward.k8s.io`): for every forwarded
 * connection the client opens an error stream and a data stream sharing the `requestID`
 * and `port` headers; once both exist, the data stream is joined to a fresh TCP
 * connection to that port in the pod. Any number of connections run at once; failures are
 * written to the pair's error stream as text.
 */
export function serveSpdyPortForward(
  session: SpdySession,
  dial: PodDialer,
  pod: { name: string; uid: string },
): void {
  const pairs = new Map<string, StreamPair>();
  session.on('stream', (stream) => {
    stream.on('error', () => undefined);
    const type = stream.headers.streamtype;
    // Clients before requestID existed used one connection per forwarded socket.
    const requestId = stream.headers.requestid ?? '0';
    const port = parsePort(stream.headers.port);
    if ((type !== 'error' && type !== 'data') || port === undefined) {
      stream.destroy();
      return;
    }
    const pair = pairs.get(requestId) ?? {};
    pairs.set(requestId, pair);
    if (pair[type]) {
      stream.destroy();
      return;
    }
    pair[type] = stream;
    if (!pair.error || !pair.data || pair.started) return;
    pair.started = true;
    void forward(pair.data, pair.error, port, dial, pod).finally(() => pairs.delete(requestId));
  });
}

async function forward(
  data: SpdyStream,
  error: SpdyStream,
  port: number,
  dial: PodDialer,
  pod: { name: string; uid: string },
): Promise<void> {
  // The client never writes on the error stream; keep it flowing so its FIN is seen.
  error.resume();
  let connection: Duplex;
  try {
    connection = await dial(port);
  } catch (failure) {
    error.end(forwardError(port, pod.name, pod.uid, failure));
    data.end();
    return;
  }
  await joinStreams(data, connection);
  error.end();
}

/**
 * Copies both ways between a client stream and a pod connection, passing half-closes
 * through; resolves when the pod side has finished sending (as the kubelet does) or either
 * side is torn down.
 */
export function joinStreams(client: Duplex, pod: Duplex): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      resolve();
    };
    pod.on('error', () => {
      client.destroy();
      done();
    });
    client.on('error', () => undefined);
    client.pipe(pod);
    pod.pipe(client);
    pod.once('end', done);
    pod.once('close', () => {
      if (!client.writableEnded) client.end();
      done();
    });
    client.once('close', () => {
      pod.destroy();
      done();
    });
  });
}
