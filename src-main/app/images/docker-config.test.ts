import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authFromConfig, registryAuthFor, registryOf } from './docker-config';

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('registryOf', () => {
  it('finds the registry host of a reference as Docker does', () => {
    expect(registryOf('app')).toBe('docker.io');
    expect(registryOf('library/app:1')).toBe('docker.io');
    expect(registryOf('localhost/app')).toBe('localhost');
    expect(registryOf('localhost:5000/app:latest')).toBe('localhost:5000');
    expect(registryOf('ghcr.io/org/app')).toBe('ghcr.io');
    expect(registryOf('index.docker.io/library/app')).toBe('docker.io');
  });
});

describe('authFromConfig', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: basic('hubuser', 'hubpass') },
      'localhost:5000': { auth: basic('me', 'p:ss') },
      'https://ghcr.io': { identitytoken: 'tok' },
    },
  };

  it('decodes auth entries and matches keys written with or without a scheme', () => {
    expect(authFromConfig(config, 'localhost:5000')).toEqual({
      username: 'me',
      password: 'p:ss',
      serveraddress: 'localhost:5000',
    });
    expect(authFromConfig(config, 'docker.io')).toEqual({
      username: 'hubuser',
      password: 'hubpass',
      serveraddress: 'https://index.docker.io/v1/',
    });
    expect(authFromConfig(config, 'ghcr.io')).toEqual({ identitytoken: 'tok', serveraddress: 'ghcr.io' });
  });

  it('has nothing for unknown registries or odd files', () => {
    expect(authFromConfig(config, 'quay.io')).toBeUndefined();
    expect(authFromConfig({}, 'docker.io')).toBeUndefined();
    expect(authFromConfig('nonsense', 'docker.io')).toBeUndefined();
  });

  it('reads $DOCKER_CONFIG/config.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    try {
      await writeFile(join(dir, 'config.json'), JSON.stringify(config));
      expect(await registryAuthFor('localhost:5000/app', { DOCKER_CONFIG: dir })).toMatchObject({
        username: 'me',
      });
      expect(
        await registryAuthFor('localhost:5000/app', { DOCKER_CONFIG: join(dir, 'none') }),
      ).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
