import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { ApiError } from '../status';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch } from './merge-patch';

const cm = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', labels: { a: '1' } },
  data: { k: 'v', list: 'x' },
  spec: { replicas: 2, items: [1, 2, 3] },
});

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('applyJsonPatch', () => {
  it('applies operations in order without touching the input', () => {
    const input = cm();
    const out = applyJsonPatch(input, [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/items/-', value: 4 },
      { op: 'remove', path: '/data/list' },
      { op: 'move', from: '/data/k', path: '/data/moved' },
      { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
    ]);
    expect(out).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { a: '1' }, annotations: { a: '1' } },
      data: { moved: 'v' },
      spec: { replicas: 3, items: [1, 2, 3, 4] },
    });
    expect(input).toEqual(cm());
  });

  it('a failed test operation is 422 with the json-patch message as cause', () => {
    const err = apiError(() => applyJsonPatch(cm(), [{ op: 'test', path: '/spec/replicas', value: 5 }]));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('the server rejected our request due to an error in our request');
    expect(err.toStatus().details).toEqual({
      causes: [
        { reason: 'UnexpectedServerResponse', message: 'testing value /spec/replicas failed: test failed' },
      ],
    });
  });

  it('bad paths are 422 with evanphx/json-patch wording', () => {
    const cause = (patch: unknown): string | undefined =>
      apiError(() => applyJsonPatch(cm(), patch)).details?.causes?.[0]?.message;
    expect(cause([{ op: 'remove', path: '/spec/nodeSelector/x' }])).toBe(
      'remove operation does not apply: doc is missing path: "/spec/nodeSelector/x": missing value',
    );
    expect(cause([{ op: 'remove', path: '/spec/nope' }])).toBe(
      "error in remove for path: '/spec/nope': unable to remove nonexistent key: nope: missing value",
    );
    expect(cause([{ op: 'replace', path: '/spec/nope', value: 1 }])).toBe(
      'replace operation does not apply: doc is missing key: /spec/nope: missing value',
    );
    expect(cause([{ op: 'add', path: '/a/b/c', value: 1 }])).toBe(
      'add operation does not apply: doc is missing path: "/a/b/c": missing value',
    );
    expect(cause([{ op: 'bogus', path: '/a' }])).toBe('Unexpected kind: bogus');
  });

  it('more than 10000 operations is 413', () => {
    const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
    const err = apiError(() => applyJsonPatch(cm(), ops));
    expect([err.code, err.reason, err.message]).toEqual([
      413,
      'RequestEntityTooLarge',
      'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    ]);
  });

  it('a body that is not a list of operations is 400', () => {
    const err = apiError(() => applyJsonPatch(cm(), { op: 'add' }));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });
});

describe('applyMergePatch', () => {
  it('merges objects, deletes on null, replaces lists and scalars', () => {
    const input = cm();
    const out = applyMergePatch(input, {
      metadata: { labels: { a: null, b: '2' } },
      data: null,
      spec: { items: [9], extra: { x: null, y: 1 } },
    });
    expect(out).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { b: '2' } },
      spec: { replicas: 2, items: [9], extra: { y: 1 } },
    });
    expect(input).toEqual(cm());
  });

  it('a body that is not an object is 400 Invalid JSON Patch', () => {
    const err = apiError(() => applyMergePatch(cm(), [1]));
    expect(err.code).toBe(400);
    expect(err.message).toBe('Invalid JSON Patch');
  });
});
