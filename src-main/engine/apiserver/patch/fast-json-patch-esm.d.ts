// The package's `main` is CommonJS whose exports Node's ESM loader cannot name; its ESM entry
// has no typings of its own, so it borrows the package's.
declare module 'fast-json-patch/index.mjs' {
  export * from 'fast-json-patch';
}
