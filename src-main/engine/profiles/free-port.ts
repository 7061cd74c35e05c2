import { createServer } from 'node:net';

/**
 * Below every OS's ephemeral range (Linux 32768+, macOS/Windows 49152+), so outgoing connections
 * and other programs' "any free port" listeners never take it from a profile between starts.
 */
const STABLE_RANGE = { from: 20_000, to: 32_000 };

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now: a random one in 20000–32000 when one
 * of a few tries is free, else one chosen by the OS.
 */
export async function findFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = STABLE_RANGE.from + Math.floor(Math.random() * (STABLE_RANGE.to - STABLE_RANGE.from));
    if (await isPortFree(port)) return port;
  }
  return osChosenPort();
}

function osChosenPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be listened on now (nothing else holds it). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
