export * from './app';
export * from './database';
export * from './load';
export * from './options';
export * from './raw-server';
export * from './report';
export * from './run-bench';
