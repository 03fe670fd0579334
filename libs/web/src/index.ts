export * from './web.module';
export { PAGE_ROUTES, registerWeb } from './web-setup';
