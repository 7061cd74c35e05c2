import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../testing/test-api-server';
import type { TestApiServer } from '../testing/test-api-server';

const TYPO_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: typo
spec:
  selector:
    matchLabels: {app: typo}
  template:
    metadata:
      labels: {app: typo}
    spec:
      containers:
      - name: web
        image: nginx
        imagePullPolcy: Always
`;

describe('the API server publishes OpenAPI that kubectl uses end to end', () => {
  let server: TestApiServer;

  beforeAll(async () => {
    server = await startTestApiServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('explains every resource kubectl discovers', async () => {
    // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND
    const resources = (await server.kubectlOk(['api-resources', '--no-headers']))
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((t) => t.length >= 4)
      .map((t) => ({ name: t[0], apiVersion: t[t.length - 3] }));
    expect(resources.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const r of resources) {
      const res = await server.kubectl(['explain', r.name, `--api-version=${r.apiVersion}`]);
      if (res.code !== 0 || !res.stdout.includes('DESCRIPTION:')) {
        failures.push(`${r.name} ${r.apiVersion}: ${res.stderr.trim()}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects a misspelt field with the strict decoding path, and warns with --validate=warn', async () => {
    const file = join(server.dir, 'typo.yaml');
    writeFileSync(file, TYPO_DEPLOYMENT);
    const strict = await server.kubectl(['apply', '-f', file]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "spec.template.spec.containers[0].imagePullPolcy"');

    const warn = await server.kubectl(['apply', '--validate=warn', '-f', file]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain('unknown field "spec.template.spec.containers[0].imagePullPolcy"');
    expect(warn.stdout).toContain('deployment.apps/typo created');
  });
});
