import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../accounts/user.entity';
import { AuthenticatedRequest, ROLES } from '../decorators/auth.decorators';

/** Whether a user of `role` may do what `allowed` roles may; librarians may do all staff may. */
export function roleAllows(role: Role, allowed: Role[]): boolean {
  return allowed.includes(role) || (role === 'librarian' && allowed.includes('staff'));
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!allowed) return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (user && roleAllows(user.role, allowed)) return true;
    throw new ForbiddenException(`This is only for ${allowed.join(' or ')} accounts.`);
  }
}
