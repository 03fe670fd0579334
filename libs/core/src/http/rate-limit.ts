import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error';
import { RateCounters } from '../rate-limit/rate-counters';

const RATE_LIMIT = 'shipei:rate-limit';

interface RateLimitRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Limits one kind of request per client address (login, certificate verification), counted in the
 * database so every process shares one count. Only such routes run this guard: a limit on every
 * route would cap a bureau's legitimate traffic from one NAT address. `name` groups routes that
 * share a count (the login API and the login page).
 */
export const RateLimit = (name: string, limit: number, windowSeconds = 60) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT, { name, limit, windowSeconds } satisfies RateLimitRule),
    UseGuards(SharedRateLimitGuard),
  );

@Injectable()
export class SharedRateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly counters: RateCounters,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get<RateLimitRule | undefined>(RATE_LIMIT, ctx.getHandler());
    if (!rule) return true;
    const ip: string = ctx.switchToHttp().getRequest().ip ?? 'unknown';
    if (await this.counters.hit(`${rule.name}|${ip}`, rule.limit, rule.windowSeconds)) return true;
    throw new DomainError(429, 'TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试');
  }
}
