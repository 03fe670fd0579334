import { applyDecorators, UseGuards } from '@nestjs/common';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';

/**
 * Rate limits one route per client address (login, certificate verification). Only such routes run
 * the throttler guard: a limit on every route would cap a bureau's legitimate traffic from one NAT
 * address, and a global guard that skips them still cost every request its metadata lookups.
 */
export const RateLimit = (limit: number, ttlMs = 60_000) =>
  applyDecorators(Throttle({ default: { limit, ttl: ttlMs } }), UseGuards(ThrottlerGuard));
