import { createWebSocketStream } from 'ws';
import type { SubresourceHandler } from '../../http/subresource-handlers';
import { badRequest } from '../../status';
import { getPod, podSandbox, requireNode } from '../pod-target';
import type { StreamBackend } from '../pod-target';
import {
  acceptSpdyUpgrade,
  negotiateStreamProtocol,
  offeredStreamProtocols,
  refuseProtocols,
  wantsSpdy,
} from '../spdy/upgrade';
import { SpdySession } from '../spdy/session';
import { acceptWebSocket, offeredSubprotocols, wantsWebSocket } from '../websocket';
import { parsePort } from './dial';
import type { PodDialer } from './dial';
import { serveSpdyPortForward } from './spdy-forwarder';
import { WEBSOCKET_PORT_FORWARD_PROTOCOLS, serveWebSocketPortForward } from './websocket-forwarder';

/** The SPDY port-forward protocol, over a raw upgrade or tunnelled in a WebSocket. */
const SPDY_PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl ≥ 1.31 carries SPDY frames in WebSocket binary messages under this subprotocol. */
const TUNNELED_SPDY_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

function requestedPorts(query: URLSearchParams): number[] {
  const raw = query.getAll('ports').flatMap((v) => v.split(','));
  const ports: number[] = [];
  for (const value of raw) {
    const port = parsePort(value.trim());
    if (port === undefined) throw badRequest(`invalid port "${value}"`);
    ports.push(port);
  }
  return ports;
}

/**
 * `pods/portforward`: the pod must be Running; connections go to its sandbox's network
 * namespace through `runtime.connect`. Speaks raw SPDY/3.1 (kubectl ≤ 1.30), SPDY tunnelled
 * in WebSocket (kubectl ≥ 1.31) and WebSocket channels with `?ports=` (client-node).
 */
export function portForwardHandler(backend: StreamBackend): SubresourceHandler {
  return {
    handle: () => {
      throw badRequest('Upgrade request required');
    },
    async upgrade(request, socket, head) {
      const { req, objectApi, namespace, name, query } = request;
      const pod = getPod(objectApi, namespace, name);
      requireNode(pod);
      const sandbox = await podSandbox(backend, pod);
      const dial: PodDialer = (port) => backend.runtime.connect(sandbox.id, port);
      const who = { name, uid: pod.metadata.uid ?? '' };

      if (wantsWebSocket(req)) {
        const offered = offeredSubprotocols(req);
        if (offered.includes(TUNNELED_SPDY_PROTOCOL)) {
          const ws = await acceptWebSocket(req, socket, head, TUNNELED_SPDY_PROTOCOL);
          if (!ws) return;
          ws.on('error', () => undefined);
          serveSpdyPortForward(new SpdySession(createWebSocketStream(ws)), dial, who);
          return;
        }
        const ports = requestedPorts(query);
        if (ports.length === 0) throw badRequest('query parameter "port" is required');
        const protocol =
          offered.length === 0
            ? WEBSOCKET_PORT_FORWARD_PROTOCOLS[0]
            : WEBSOCKET_PORT_FORWARD_PROTOCOLS.find((p) => offered.includes(p.name));
        if (!protocol) throw badRequest('unable to negotiate a port-forward subprotocol');
        const ws = await acceptWebSocket(req, socket, head, offered.length ? protocol.name : undefined);
        if (!ws) return;
        await serveWebSocketPortForward(ws, protocol, ports, dial, who).catch(() => ws.terminate());
        return;
      }
      if (wantsSpdy(req)) {
        const offered = offeredStreamProtocols(req);
        const protocol = negotiateStreamProtocol(
          offered,
          [SPDY_PORT_FORWARD_PROTOCOL],
          SPDY_PORT_FORWARD_PROTOCOL,
        );
        if (!protocol) {
          refuseProtocols(socket, offered, [SPDY_PORT_FORWARD_PROTOCOL]);
          return;
        }
        serveSpdyPortForward(acceptSpdyUpgrade(socket, head, protocol), dial, who);
        return;
      }
      throw badRequest('Upgrade request required');
    },
  };
}
