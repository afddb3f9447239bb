import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AuthenticatedRequest,
  CONFIRMS_SESSION,
  IS_PUBLIC,
} from '../common/decorators/auth.decorators';
import { AccountsService, SESSION_ENDED } from './accounts.service';

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
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const token = tokenOf(request);
    // A request that only reads may be let in on a session held in memory, and so may a write
    // whose handler confirms the session in its own transaction.
    const use =
      request.method === 'GET' || request.method === 'HEAD'
        ? 'reading'
        : this.reflector.getAllAndOverride<boolean>(CONFIRMS_SESSION, targets)
          ? 'confirmedByWrite'
          : 'writing';
    const session = token ? await this.accounts.authenticate(token, use) : null;
    if (session) {
      request.user = session.user;
      request.sessionId = session.sessionId;
      if (session.toConfirm) request.sessionToConfirm = session.sessionId;
    }
    if (isPublic || session) return true;
    throw new UnauthorizedException(token ? SESSION_ENDED : 'Please sign in first.');
  }
}
