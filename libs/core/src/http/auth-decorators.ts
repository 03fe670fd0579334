import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Actor, Role } from '../access/actor';

export const IS_PUBLIC = 'shipei:public';
export const ROLES_KEY = 'shipei:roles';
export const ALLOW_PASSWORD_CHANGE_PENDING = 'shipei:allow-mcp';

/** Route open to anyone (certificate verification, login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Route open to these roles only (others get 403 before any lookup). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Route usable before the one-time password has been changed (password change, whoami). */
export const AllowPasswordChangePending = () => SetMetadata(ALLOW_PASSWORD_CHANGE_PENDING, true);

/** The verified caller of this request. */
export const CurrentActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest().user as Actor,
);
