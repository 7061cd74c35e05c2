/**
 * The API server's patch semantics as pure functions over plain JSON objects: JSON patch,
 * merge patch, strategic merge patch, server-side apply, and managed-fields bookkeeping for
 * every other write. None of them mutates its inputs; failures are `ApiError`s with the codes
 * and messages Kubernetes gives.
 */
export { applyJsonPatch } from './json-patch';
export { applyMergePatch } from './merge-patch';
export { applyStrategicMergePatch } from './strategic-merge-patch';
export { applyServerSide } from './server-side-apply';
export type { ApplyArgs } from './server-side-apply';
export { recordUpdate } from './record-update';
export type { RecordUpdateArgs } from './record-update';
export { rootTypeOf as strategicPatchRootType, patchMetaAt } from './schema';
export type { FieldPatchMeta } from './schema';
export { CUSTOM_RESOURCE_PATCH_TYPES } from './patch-errors';
