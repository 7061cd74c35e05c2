/**
 * Shared validation helpers with Kubernetes' exact wording, for every registry file.
 * Names are stable: other API groups import them from here.
 */
export * from './names';
export * from './object-meta';
export * from './label-selector';
export * from './quantity';
export * from './field-errors';
