import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openapiResponse } from './index';
import { SERVED_GROUP_VERSIONS, apiVersionString, groupVersionPath } from './served-resources';
import type { ServedGroupVersion } from './served-resources';

/**
 * A minimal HTTPS API server for tests: version, legacy discovery for every served group-version,
 * the OpenAPI endpoints of this module, and a recorder for everything else: POSTed objects
 * are echoed with 201 and kept, later GETs and PATCHes of them answer the stored object
 * unchanged (enough for kubectl apply to compute and send its patch). Lets the real kubectl be pointed at our OpenAPI output.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  accept: string;
  body: string;
}

export interface ProbeServer {
  url: string;
  kubeconfig: string;
  dir: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function resourceList(gv: ServedGroupVersion): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const r of gv.resources) {
    resources.push({
      name: r.plural,
      singularName: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.createOnly
        ? ['create']
        : ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    for (const sub of r.subresources) {
      const target = sub.definition?.split('.') ?? [];
      resources.push({
        name: `${r.plural}/${sub.name}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: target.length ? target[target.length - 1] : r.kind,
        verbs: sub.verbs.map((v) => (v === 'put' ? 'update' : v === 'post' ? 'create' : v)),
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionString(gv), resources };
}

function discovery(): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  };
  const groups = new Map<string, ServedGroupVersion[]>();
  for (const gv of SERVED_GROUP_VERSIONS) {
    out[`/${groupVersionPath(gv)}`] = resourceList(gv);
    if (gv.group) groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv]);
  }
  out['/apis'] = {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, gvs]) => {
      // Discovery lists the newest version first; it is also the preferred one.
      const versions = gvs.map((g) => ({ groupVersion: apiVersionString(g), version: g.version })).reverse();
      return { name, versions, preferredVersion: versions[0] };
    }),
  };
  return out;
}

const DISCOVERY: Record<string, unknown> = {
  ...discovery(),
  '/version': {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  },
};

/** Starts the probe server on 127.0.0.1 with a fresh self-signed certificate (needs openssl). */
export async function startProbeServer(): Promise<ProbeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-probe-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, string>();
  const server: Server = createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'https://127.0.0.1');
        requests.push({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          accept: req.headers.accept ?? '',
          body,
        });
        const oa = req.method === 'GET' ? openapiResponse(url.pathname, req.headers.accept ?? '') : undefined;
        if (oa) {
          res.writeHead(oa.status, { 'Content-Type': oa.contentType, ...oa.headers });
          res.end(oa.body);
          return;
        }
        const disc = req.method === 'GET' ? DISCOVERY[url.pathname] : undefined;
        if (disc) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(disc));
          return;
        }
        if (req.method === 'POST' && body.startsWith('{')) {
          // Remember created objects (unless dry-run) so a later apply sees them and patches.
          const created = JSON.parse(body) as { metadata?: { name?: string } };
          if (!url.searchParams.has('dryRun') && created.metadata?.name) {
            objects.set(`${url.pathname}/${created.metadata.name}`, body);
          }
          res.writeHead(201, { 'Content-Type': 'application/json' });
          res.end(body);
          return;
        }
        const stored = objects.get(url.pathname);
        if (stored && (req.method === 'GET' || req.method === 'PATCH')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(stored);
          return;
        }
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'the server could not find the requested resource',
            reason: 'NotFound',
            code: 404,
          }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: probe',
      '  cluster:',
      `    server: ${url}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: probe',
      '  user:',
      '    token: probe-token',
      'contexts:',
      '- name: probe',
      '  context:',
      '    cluster: probe',
      '    user: probe',
      '    namespace: default',
      'current-context: probe',
      '',
    ].join('\n'),
  );
  return {
    url,
    kubeconfig,
    dir,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
