export * from './certificate-layout';
export * from './certificate-page';
export * from './certificate-qr';
export * from './certificate-renderer';
export * from './certificate-rendering.errors';
export * from './certificate-templates';
export * from './certificate-view';
