import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from '../principal';

export const IS_PUBLIC = 'jixiao:public';
export const ROLES_KEY = 'jixiao:roles';

/** No token needed (public pages, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the handler (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
