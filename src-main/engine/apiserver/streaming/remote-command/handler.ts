import type { SubresourceHandler } from '../../http/subresource-handlers';
import { badRequest } from '../../status';
import { getPod, requireNode, resolveContainerName, runningContainer } from '../pod-target';
import type { StreamBackend } from '../pod-target';
import { acceptSpdyUpgrade, offeredStreamProtocols, refuseProtocols, wantsSpdy } from '../spdy/upgrade';
import { acceptWebSocket, offeredSubprotocols, wantsWebSocket } from '../websocket';
import { parseCommandOptions } from './options';
import { SPDY_COMMAND_PROTOCOLS, WEBSOCKET_COMMAND_PROTOCOLS, pickProtocol } from './protocols';
import { runRemoteCommand } from './run';
import type { CommandChannels } from './run';
import { spdyCommandChannels } from './spdy-channels';
import { webSocketCommandChannels } from './websocket-channels';

/**
 * `pods/exec` or `pods/attach`: checks the request (pod, container, options) before
 * upgrading, so failures reach the client as a Status; then speaks WebSocket channels
 * (kubectl ≥ 1.30, client-node) or SPDY/3.1 streams (kubectl 1.27–1.29 and the fallback of
 * newer ones) with the process in the container.
 */
export function remoteCommandHandler(backend: StreamBackend, mode: 'exec' | 'attach'): SubresourceHandler {
  return {
    handle: () => {
      throw badRequest('Upgrade request required');
    },
    async upgrade(request, socket, head) {
      const { req, objectApi, namespace, name, query } = request;
      const options = parseCommandOptions(query, mode);
      const pod = getPod(objectApi, namespace, name);
      const containerName = resolveContainerName(pod, options.container);
      requireNode(pod);
      const target = await runningContainer(backend, pod, containerName);
      const io = { stdin: options.stdin, stdout: options.stdout, stderr: options.stderr, tty: options.tty };
      const start =
        mode === 'exec'
          ? () => backend.runtime.exec(target.id, { command: options.command, ...io })
          : () => backend.runtime.attach(target.id, io);

      let channels: CommandChannels;
      if (wantsWebSocket(req)) {
        const offered = offeredSubprotocols(req);
        const protocol = pickProtocol(offered, WEBSOCKET_COMMAND_PROTOCOLS);
        if (!protocol) throw badRequest('unable to negotiate a remote command subprotocol');
        const ws = await acceptWebSocket(req, socket, head, offered.length ? protocol.name : undefined);
        if (!ws) return;
        channels = webSocketCommandChannels(ws, protocol, options);
      } else if (wantsSpdy(req)) {
        const offered = offeredStreamProtocols(req);
        const protocol = pickProtocol(offered, SPDY_COMMAND_PROTOCOLS);
        if (!protocol) {
          refuseProtocols(
            socket,
            offered,
            SPDY_COMMAND_PROTOCOLS.map((p) => p.name),
          );
          return;
        }
        const session = acceptSpdyUpgrade(socket, head, protocol.name);
        try {
          channels = await spdyCommandChannels(session, protocol, options);
        } catch {
          return;
        }
      } else {
        throw badRequest('Upgrade request required');
      }
      try {
        await runRemoteCommand(mode, options.command, start, channels);
      } catch {
        // The connection is upgraded: nothing can be answered any more, only closed.
        socket.destroy();
      }
    },
  };
}
