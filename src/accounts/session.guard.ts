import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, IS_PUBLIC } from '../common/decorators/auth.decorators';
import { AccountsService } from './accounts.service';

export const SESSION_COOKIE = 'dml_session';

function tokenOf(request: AuthenticatedRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  const cookies = (request as { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE] || undefined;
}

/** Deny by default: every route needs a live session unless it is marked `@Public()`. */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    const token = tokenOf(request);
    // A request that only reads may be let in on a session held in memory.
    const reading = request.method === 'GET' || request.method === 'HEAD';
    const session = token ? await this.accounts.authenticate(token, reading) : null;
    if (session) {
      request.user = session.user;
      request.sessionId = session.sessionId;
    }
    if (isPublic || session) return true;
    throw new UnauthorizedException(
      token ? 'Your session has ended. Please sign in again.' : 'Please sign in first.',
    );
  }
}
