import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Request } from 'express';
import type { Role, User } from '../../accounts/user.entity';

export const IS_PUBLIC = 'dml:public';
export const ROLES = 'dml:roles';

/** Anyone may call this route, signed in or not. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call this route; `librarian` includes everything `staff` may do. */
export function Roles(...roles: Role[]) {
  return applyDecorators(
    SetMetadata(ROLES, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Not signed in.' }),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}.` }),
  );
}

/** Any signed-in user. */
export function SignedIn() {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Not signed in.' }),
  );
}

export interface AuthenticatedRequest extends Request {
  user?: User;
  sessionId?: string;
}

/** The signed-in user (undefined on a public route called anonymously). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().user;
});
