import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ALLOW_PASSWORD_CHANGE_PENDING, ForbiddenError, IS_PUBLIC, Role, ROLES, ROLES_KEY, UnauthorizedError } from '@shipei/core';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public().
 * Accounts still on a one-time password may only change it (403 PASSWORD_CHANGE_REQUIRED);
 * @Roles() narrows by role (403 before any lookup).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    await super.canActivate(ctx);
    const user = ctx.switchToHttp().getRequest().user;
    if (!Number.isSafeInteger(user?.userId) || !ROLES.includes(user.role)) throw new UnauthorizedError('INVALID_TOKEN', '登录已失效，请重新登录');
    if (user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOW_PASSWORD_CHANGE_PENDING, targets)) {
      throw new ForbiddenError('PASSWORD_CHANGE_REQUIRED', '首次登录请先修改密码');
    }
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(user.role)) throw new ForbiddenError();
    return true;
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err || !user) {
      const expired = (info as Error | undefined)?.name === 'TokenExpiredError';
      const missing = (info as Error | undefined)?.message === 'No auth token';
      if (missing) throw new UnauthorizedError('UNAUTHORIZED', '请先登录');
      throw new UnauthorizedError(expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN', expired ? '登录已过期，请重新登录' : '登录已失效，请重新登录');
    }
    return user;
  }
}
