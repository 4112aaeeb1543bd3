// opencc-js's Traditional -> Simplified entry point: its package.json `exports` names the types,
// which TypeScript's `moduleResolution: node` does not read.
declare module 'opencc-js/t2cn' {
  export * from 'opencc-js';
}
