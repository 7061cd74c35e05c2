/**
 * The remote-command subprotocols (k8s.io/apimachinery remotecommand): v2 adds separate
 * stdout/stderr streams, v3 terminal resize, v4 a JSON Status (with the exit code) on the
 * error stream, v5 the close signal (channel 255) over WebSocket.
 */
export interface ChannelProtocol {
  name: string;
  version: 1 | 2 | 3 | 4 | 5;
  /** WebSocket only: text messages, channel as an ASCII digit, payload in base64. */
  base64: boolean;
}

const binary = (version: ChannelProtocol['version']): ChannelProtocol => ({
  name: version === 1 ? 'channel.k8s.io' : `v${version}.channel.k8s.io`,
  version,
  base64: false,
});
const base64 = (version: ChannelProtocol['version']): ChannelProtocol => ({
  name: version === 1 ? 'base64.channel.k8s.io' : `v${version}.base64.channel.k8s.io`,
  version,
  base64: true,
});

/** WebSocket subprotocols for exec/attach, newest first. */
export const WEBSOCKET_COMMAND_PROTOCOLS: readonly ChannelProtocol[] = [
  binary(5),
  binary(4),
  base64(4),
  binary(3),
  base64(3),
  binary(2),
  base64(2),
  binary(1),
  base64(1),
];

/** SPDY `X-Stream-Protocol-Version`s for exec/attach; over SPDY v5 behaves as v4. */
export const SPDY_COMMAND_PROTOCOLS: readonly ChannelProtocol[] = [
  binary(5),
  binary(4),
  binary(3),
  binary(2),
  binary(1),
];

/** The client's most preferred protocol among `supported`; v1 when it offered none. */
export function pickProtocol(
  offered: string[],
  supported: readonly ChannelProtocol[],
): ChannelProtocol | undefined {
  if (offered.length === 0) return supported.find((p) => p.name === 'channel.k8s.io');
  for (const name of offered) {
    const found = supported.find((p) => p.name === name);
    if (found) return found;
  }
  return undefined;
}
