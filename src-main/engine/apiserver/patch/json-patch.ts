import { applyOperation, deepClone, getValueByPointer, JsonPatchError } from 'fast-json-patch/index.mjs';
import type { Operation } from 'fast-json-patch/index.mjs';
import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { ApiError } from '../status';
import { patchBadRequest, patchNotApplicable } from './patch-errors';

/** Kubernetes' cap on operations in one JSON patch. */
const MAX_OPERATIONS = 10_000;
const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies an RFC 6902 JSON patch to a copy of `doc` (the input is never mutated). A body that
 * is not a list of operations is a 400 BadRequest; an operation that does not apply (failed
 * `test`, missing path, bad index) is a 422 with Kubernetes' wording and the json-patch
 * library's message as the cause; more than 10000 operations is 413.
 */
export function applyJsonPatch(doc: KubeObject, patch: unknown): KubeObject {
  if (!Array.isArray(patch)) {
    const got = isPlainObject(patch) ? 'object' : patch === null ? 'null' : typeof patch;
    throw patchBadRequest(`json: cannot unmarshal ${got} into Go value of type jsonpatch.Patch`);
  }
  if (patch.length > MAX_OPERATIONS) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${patch.length}`,
    );
  }
  let current: unknown = deepClone(doc);
  for (const raw of patch) {
    if (!isPlainObject(raw)) {
      throw patchBadRequest('json: cannot unmarshal into Go value of type jsonpatch.Operation');
    }
    const op = String(raw.op ?? '');
    if (!OPS.has(op)) throw patchNotApplicable(`Unexpected kind: ${op}`);
    if (typeof raw.path !== 'string') throw patchNotApplicable(`operation missing path field: missing value`);
    if ((op === 'move' || op === 'copy') && typeof raw.from !== 'string') {
      throw patchNotApplicable(`${op} operation missing from field: missing value`);
    }
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in raw)) {
      throw patchNotApplicable(`${op} operation missing value field: missing value`);
    }
    const operation = deepClone(raw) as Operation;
    try {
      current = applyOperation(current, operation, true, true).newDocument;
    } catch (err) {
      if (err instanceof JsonPatchError) throw patchNotApplicable(goMessage(current, operation));
      throw err;
    }
  }
  if (!isPlainObject(current)) throw patchBadRequest('patched object is not a JSON object');
  return current as KubeObject;
}

/** The message evanphx/json-patch (used by Kubernetes) gives for an operation that fails. */
function goMessage(doc: unknown, op: Operation): string {
  const path = op.path;
  const parentPath = path.slice(0, path.lastIndexOf('/'));
  const key = decodeToken(path.slice(path.lastIndexOf('/') + 1));
  const parent = lookup(doc, parentPath);
  const parentExists = parent.found && (isPlainObject(parent.value) || Array.isArray(parent.value));
  switch (op.op) {
    case 'test':
      if (!parentExists && path !== '')
        return `test operation does not apply: is missing path: ${path}: missing value`;
      return `testing value ${path} failed: test failed`;
    case 'add':
      if (!parentExists) return `add operation does not apply: doc is missing path: "${path}": missing value`;
      return `error in add for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`;
    case 'remove':
      if (!parentExists)
        return `remove operation does not apply: doc is missing path: "${path}": missing value`;
      if (Array.isArray(parent.value)) {
        return `error in remove for path: '${path}': Unable to remove invalid index: ${key}: invalid index referenced`;
      }
      return `error in remove for path: '${path}': unable to remove nonexistent key: ${key}: missing value`;
    case 'replace':
      if (!parentExists)
        return `replace operation does not apply: doc is missing path: ${path}: missing value`;
      return `replace operation does not apply: doc is missing key: ${path}: missing value`;
    case 'move':
    case 'copy': {
      if (!lookup(doc, op.from).found) {
        return `${op.op} operation does not apply: doc is missing from path: ${op.from}: missing value`;
      }
      return `${op.op} operation does not apply: doc is missing destination path: ${path}: missing value`;
    }
    default:
      return `Unexpected kind: ${op.op}`;
  }
}

function lookup(doc: unknown, pointer: string): { found: boolean; value: unknown } {
  try {
    const value: unknown = getValueByPointer(doc, pointer);
    return { found: value !== undefined, value };
  } catch {
    return { found: false, value: undefined };
  }
}

function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
