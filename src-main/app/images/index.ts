/**
 * Image operations on the host's Docker engine for every front end (CLI, dashboard): build,
 * push, pull, list and remove, with progress events and ImageError (cause + fix) failures.
 */
export type { BuildImageOptions, BuiltImage } from './build';
export { buildImage } from './build';
export type { TransferOptions } from './transfer';
export { pullImage, pushImage, splitReference } from './transfer';
export type { LocalImage } from './local-images';
export { listImages, removeImage } from './local-images';
export type { ImageProgressEvent, ProgressListener } from './progress';
export { formatBytes, formatProgressEvent } from './progress';
export { ImageError } from './image-error';
export { registryOf } from './docker-config';
