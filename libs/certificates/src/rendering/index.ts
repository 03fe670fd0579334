export * from './certificate-layout';
export * from './certificate-page';
export * from './certificate-qr';
export * from './certificate-renderer';
export * from './certificate-rendering.errors';
export * from './certificate-templates';
export * from './certificate-view';
// For bench/certificates.bench.ts: a batch render with the fonts loaded, outside any request.
export * from './render.bench-helper';
