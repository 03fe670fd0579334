import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import {
  Actor,
  ALLOW_PASSWORD_CHANGE_PENDING,
  ForbiddenError,
  IS_PUBLIC,
  Role,
  ROLES,
  ROLES_KEY,
  UnauthorizedError,
} from '@shipei/core';
import { tokenFromRequest } from '../jwt.strategy';
import { SessionVersions } from '../sessions/session-versions';
import { claimsOf, expiryOf, VerifiedTokens } from './verified-tokens';

type TokenUser = Omit<Actor, 'ip' | 'requestId'> & { mustChangePassword: boolean };
/** A verified token: its actor, and the account version it was issued for (tokens before versions: 0). */
type KnownToken = { user: TokenUser; version: number };
type RouteRules = { isPublic: boolean; allowPasswordChangePending: boolean; roles: Role[] | undefined };

/**
 * Global guard: every route needs a valid bearer token unless marked @Public().
 * Accounts still on a one-time password may only change it (403 PASSWORD_CHANGE_REQUIRED);
 * @Roles() narrows by role (403 before any lookup). A token verified once is recognised by its
 * text until it expires ({@link VerifiedTokens}), so passport-jwt runs once per token, not per request;
 * whether the session was ended (logout, password, disable, role) is asked of {@link SessionVersions}
 * on every request, cached hit or not, so the cache never keeps a revoked token alive.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verified = new VerifiedTokens<KnownToken>();
  private readonly rules = new WeakMap<object, Map<object, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionVersions,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const route = this.routeRules(ctx);
    if (route.isPublic) return true;
    const req = ctx.switchToHttp().getRequest();
    const token = tokenFromRequest(req);
    let known = token ? this.verified.get(token) : undefined;
    // Built field by field in JwtStrategy.validate's order, so every actor has one shape (a spread made
    // a second one, and the code reading actors downstream saw two).
    if (known) {
      const { userId, role, organisationId, countyId, teacherId, mustChangePassword } = known.user;
      req.user = {
        userId,
        role,
        organisationId,
        countyId,
        teacherId,
        ip: req.ip,
        requestId: req.id,
        mustChangePassword,
      };
    } else {
      await super.canActivate(ctx);
      if (token && req.user) {
        const { ip: _ip, requestId: _id, ...user } = req.user;
        const ver = claimsOf(token).ver;
        known = { user, version: typeof ver === 'number' ? ver : 0 };
        this.verified.remember(token, known, expiryOf(token));
      }
    }
    const user = req.user;
    if (!known || !Number.isSafeInteger(user?.userId) || !ROLES.includes(user.role))
      throw new UnauthorizedError('INVALID_TOKEN', '登录已失效，请重新登录');
    let current = this.sessions.isCurrent(user.userId, known.version);
    if (typeof current !== 'boolean') current = await current;
    if (!current) throw new UnauthorizedError('SESSION_ENDED', '登录已失效，请重新登录');
    if (user.mustChangePassword && !route.allowPasswordChangePending) {
      throw new ForbiddenError('PASSWORD_CHANGE_REQUIRED', '首次登录请先修改密码');
    }
    if (route.roles?.length && !route.roles.includes(user.role)) throw new ForbiddenError();
    return true;
  }

  /**
   * A route's decorators, read once per (controller, handler): metadata is fixed when the modules
   * load, and three reflector lookups per request were a tenth of this guard's time.
   */
  private routeRules(ctx: ExecutionContext): RouteRules {
    const handler = ctx.getHandler();
    const controller = ctx.getClass();
    let byHandler = this.rules.get(controller);
    if (!byHandler) this.rules.set(controller, (byHandler = new Map()));
    let rules = byHandler.get(handler);
    if (!rules) {
      const targets = [handler, controller];
      rules = {
        isPublic: !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets),
        allowPasswordChangePending: !!this.reflector.getAllAndOverride<boolean>(ALLOW_PASSWORD_CHANGE_PENDING, targets),
        roles: this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets),
      };
      byHandler.set(handler, rules);
    }
    return rules;
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err || !user) {
      const expired = (info as Error | undefined)?.name === 'TokenExpiredError';
      const missing = (info as Error | undefined)?.message === 'No auth token';
      if (missing) throw new UnauthorizedError('UNAUTHORIZED', '请先登录');
      throw new UnauthorizedError(
        expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN',
        expired ? '登录已过期，请重新登录' : '登录已失效，请重新登录',
      );
    }
    return user;
  }
}
