/**
 * Shared Table-printing helpers with kubectl's exact formatting, for every registry file.
 * Names are stable: other API groups import them from here.
 */
export * from './duration';
export * from './format';
export * from './columns';
export * from './swagger-docs';
