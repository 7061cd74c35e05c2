import { describe, expect, it } from 'vitest';
import { buildStepError } from './build';
import { dockerError, transferError } from './docker-errors';
import { splitReference } from './transfer';

describe('buildStepError', () => {
  it('names the failing step, what Docker said, and a fix', () => {
    const error = buildStepError(
      "The command '/bin/sh -c false' returned a non-zero code: 1",
      'Step 3/5 : RUN false',
    );
    expect(error.message).toBe(
      "Build failed at Step 3/5 : RUN false: The command '/bin/sh -c false' returned a non-zero code: 1",
    );
    expect(error.hint).toBe('Fix that instruction in the Dockerfile (or what it runs) and build again.');
  });

  it('points at the line of a parse error', () => {
    const error = buildStepError('dockerfile parse error line 4: unknown instruction: FOO', undefined);
    expect(error.hint).toBe('Fix line 4 of the Dockerfile and build again.');
  });
});

describe('transferError', () => {
  it('tells an unreachable local registry from a refused one', () => {
    const down = transferError(
      'push',
      'localhost:5000/app:latest',
      'localhost:5000',
      'Get "http://localhost:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused',
    );
    expect(down.message).toMatch(
      /^Push of localhost:5000\/app:latest failed: registry localhost:5000 is not reachable/,
    );
    expect(down.hint).toContain('kubedesk addons enable registry');

    const refused = transferError(
      'pull',
      'ghcr.io/x/app',
      'ghcr.io',
      'unauthorized: authentication required',
    );
    expect(refused.message).toBe(
      'Pull of ghcr.io/x/app was refused by ghcr.io: unauthorized: authentication required.',
    );
    expect(refused.hint).toBe('Log in with "docker login ghcr.io" and try again.');
    expect(transferError('pull', 'app', 'docker.io', 'denied').hint).toBe(
      'Log in with "docker login" and try again.',
    );
  });

  it('says a missing local image must be built first', () => {
    const error = transferError(
      'push',
      'localhost:5000/app',
      'localhost:5000',
      'An image does not exist locally with the tag: localhost:5000/app',
    );
    expect(error.message).toBe('localhost:5000/app does not exist on this Docker engine.');
  });
});

describe('splitReference', () => {
  it('splits repository and tag, keeping registry ports', () => {
    expect(splitReference('app')).toEqual({ repository: 'app', tag: 'latest' });
    expect(splitReference('app:1')).toEqual({ repository: 'app', tag: '1' });
    expect(splitReference('localhost:5000/app')).toEqual({ repository: 'localhost:5000/app', tag: 'latest' });
    expect(splitReference('localhost:5000/app:v2')).toEqual({ repository: 'localhost:5000/app', tag: 'v2' });
    expect(splitReference('app@sha256:abc')).toEqual({ repository: 'app', tag: 'sha256:abc' });
  });
});

describe('dockerError', () => {
  it('tells a Docker engine that is down from its answers', () => {
    const down = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' });
    const error = dockerError(down, 'Listing images failed');
    expect(error.message).toMatch(
      /^Listing images failed: the Docker engine is not reachable at .* \(connect ENOENT/,
    );
    expect(error.hint).toMatch(/^Start .*try again\.$/);

    const answered = Object.assign(new Error('(HTTP code 409) conflict - image is in use'), {
      statusCode: 409,
      json: { message: 'image is in use' },
    });
    expect(dockerError(answered, 'Removing x failed').message).toBe('Removing x failed: image is in use');
  });
});
