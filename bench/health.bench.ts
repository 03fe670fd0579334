/** GET /api/health (Nest + Fastify + terminus + TypeORM SELECT 1) vs node:http + the bare driver running SELECT 1 */
import { main } from './lib';

main({
  title: 'GET /api/health through the full app vs a node:http handler running SELECT 1 through the driver',
  app: { path: '/api/health', expectStatus: 200 },
  raw: { path: '/health', sql: 'SELECT 1' },
});
