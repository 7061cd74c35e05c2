/**
 * An engine entry for CLI tests that need no Docker: the real daemon (lock, engine.json, signals,
 * log events) around a stand-in cluster that serves `/readyz`, `/version` and `/api/v1/nodes`
 * over mutual TLS with the profile's PKI. Run through `KUBEDESK_ENGINE_ENTRY`.
 *
 * `FAKE_ENGINE_FAIL=<message>` makes the start fail after the first phases;
 * `FAKE_ENGINE_IGNORE_SIGTERM=1` makes the stop hang so the CLI has to kill it;
 * `FAKE_ENGINE_HANG=1` makes the start never get past starting the API server, as a start stuck on
 * something it waits for;
 * `FAKE_ENGINE_PORT_TAKEN=1` makes the first listen fail with EADDRINUSE, as when another program
 * takes the port between the starter's check and the engine's listen.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ClusterOptions, RunningCluster } from '../../engine/cluster';
import { runEngineProcess } from '../../engine/daemon';

let portTakenOnce = false;

async function startFakeCluster({ config, pki, onPhase }: ClusterOptions): Promise<RunningCluster> {
  onPhase?.('store');
  onPhase?.('apiserver');
  if (process.env.FAKE_ENGINE_FAIL) throw new Error(process.env.FAKE_ENGINE_FAIL);
  // The timer keeps the process alive, as the socket a real stuck wait holds would.
  if (process.env.FAKE_ENGINE_HANG) await new Promise(() => setInterval(() => undefined, 60_000));
  const server = createServer(
    {
      cert: pki.serverCertPem,
      key: pki.serverKeyPem,
      ca: pki.caCertPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      if (!(req.socket as TLSSocket).authorized) {
        res.writeHead(401).end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/readyz') res.end('ok');
      else if (req.url === '/version')
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
      else if (req.url?.startsWith('/api/v1/nodes')) {
        const items = Array.from({ length: config.nodes }, (_, i) => ({
          metadata: { name: i === 0 ? config.name : `${config.name}-m0${i + 1}` },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }));
        res.end(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', items }));
      } else res.writeHead(404).end('{}');
    },
  );
  if (process.env.FAKE_ENGINE_PORT_TAKEN && !portTakenOnce) {
    portTakenOnce = true;
    throw Object.assign(
      new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${config.apiServerPort}`),
      {
        code: 'EADDRINUSE',
      },
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.apiServerPort, '127.0.0.1', resolve);
  });
  onPhase?.('nodes');
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      if (process.env.FAKE_ENGINE_IGNORE_SIGTERM) await new Promise(() => undefined);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

await runEngineProcess(process.argv.slice(2), startFakeCluster);
