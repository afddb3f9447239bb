import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Request } from 'express';
import type { Role, User } from '../../accounts/user.entity';

export const IS_PUBLIC = 'dml:public';
export const ROLES = 'dml:roles';
export const CONFIRMS_SESSION = 'dml:confirms-session';

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

/**
 * The route's handler confirms the session inside its own write transaction (passing on
 * `@SessionToConfirm()`), so the guard may let a write in on a session held in memory, as it does
 * a read, without a statement of its own. Only for handlers that do confirm it: the booking.
 */
export const ConfirmsSession = () => SetMetadata(CONFIRMS_SESSION, true);

export interface AuthenticatedRequest extends Request {
  user?: User;
  sessionId?: string;
  /** Set when the session was let in from memory on a `@ConfirmsSession()` route: its id. */
  sessionToConfirm?: string;
}

/** The signed-in user (undefined on a public route called anonymously). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().user;
});

/**
 * The session a `@ConfirmsSession()` handler must confirm in its write transaction, with the
 * account as it stands there, before it changes anything; undefined when the guard read it from
 * the database, or on SQLite, where what is held is the database as of now (`SessionCache`).
 */
export const SessionToConfirm = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => {
    return context.switchToHttp().getRequest<AuthenticatedRequest>().sessionToConfirm;
  },
);
