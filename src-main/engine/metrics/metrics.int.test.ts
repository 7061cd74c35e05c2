/**
 * metrics.k8s.io in the whole engine (real Docker, real kubectl): `kubectl top` prints the
 * CPU and memory that running containers really use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BUSYBOX_IMAGE as BUSYBOX, testProfile } from '../../../test/harness/engine-profile';

const pod = (name: string, command: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { suite: 'metrics', role: name } },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', command] }],
  },
});

/** "250m" → 250, "2" → 2000 (kubectl top prints millicores). */
const millicores = (text: string): number =>
  text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;

describe('metrics.k8s.io (real Docker, real kubectl)', () => {
  const engine = testProfile({
    namePrefix: 'mt',
    dirPrefix: 'kubedesk-metrics-',
    nodes: 1,
    kubectlTimeoutMs: 120_000,
  });
  const kubectl = engine.kubectl;

  beforeAll(async () => {
    await engine.start();
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          pod('burn', 'while true; do :; done'),
          // 64 MiB in /dev/shm count as the container's working set (shared memory).
          pod('idle', 'head -c 67108864 /dev/zero > /dev/shm/ballast; exec sleep 3600'),
        ],
      }),
    );
    await kubectl(['wait', '--for=condition=Ready', 'pod/burn', 'pod/idle', '--timeout=120s']);
  });

  afterAll(async () => {
    await engine.cleanup();
  });

  it('is listed in discovery', async () => {
    const out = await kubectl(['api-resources', '--api-group=metrics.k8s.io']);
    expect(out).toMatch(/^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics\s*$/m);
    expect(out).toMatch(/^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics\s*$/m);
  });

  it('kubectl top pods prints the CPU of a busy loop and the memory of a held buffer', async () => {
    const out = await kubectl(['top', 'pods', '-l', 'suite=metrics']);
    expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/m);
    const rows = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .map(([name, cpu, memory]) => [name, { cpu, memory }]),
    );
    expect(Object.keys(rows).sort()).toEqual(['burn', 'idle']);
    // A shell spinning on one core uses a good share of it even on a busy machine.
    expect(millicores(rows.burn.cpu)).toBeGreaterThan(100);
    expect(millicores(rows.idle.cpu)).toBeLessThan(millicores(rows.burn.cpu) / 2);
    expect(rows.idle.memory).toMatch(/^\d+Mi$/);
    expect(Number(rows.idle.memory.slice(0, -2))).toBeGreaterThanOrEqual(60);
  });

  it('kubectl top pod NAME --containers names the container; an unknown pod is an error', async () => {
    const out = await kubectl(['top', 'pod', 'burn', '--containers']);
    expect(out).toMatch(/^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/m);
    expect(out).toMatch(/^burn\s+main\s+\d+m\s+\d+Mi\s*$/m);
    const missing = await engine.runKubectl(['top', 'pod', 'nope']);
    expect(missing.code).not.toBe(0);
  });

  it('kubectl top nodes prints CPU and memory with percentages of allocatable', async () => {
    const out = await kubectl(['top', 'nodes']);
    expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+CPU(%|\(%\))\s+MEMORY\(bytes\)\s+MEMORY(%|\(%\))\s*$/m);
    const row = out
      .trim()
      .split('\n')
      .find((line) => line.startsWith(`${engine.config.name} `));
    expect(row).toBeDefined();
    const [, cpu, cpuPercent, memory, memoryPercent] = (row ?? '').trim().split(/\s+/);
    expect(millicores(cpu)).toBeGreaterThan(100);
    expect(cpuPercent).toMatch(/^\d+%$/);
    expect(memory).toMatch(/^\d+Mi$/);
    expect(memoryPercent).toMatch(/^\d+%$/);
  });

  it('answers the raw API like metrics-server', async () => {
    const list = JSON.parse(
      await kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/burn']),
    ) as { kind: string; window: string; containers: Array<{ name: string; usage: { cpu: string } }> };
    expect(list.kind).toBe('PodMetrics');
    expect(list.window).toMatch(/s$/);
    expect(list.containers[0].usage.cpu).toMatch(/^\d+n$/);
  });
});
