import { BadRequestException, HttpException, Injectable } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { AppConfig } from '../config/app-config';
import { CSRF_FIELD } from './csrf';
import { setFlash, takeFlash } from './flash';
import { pageContext, sendPage } from './render';
import type { PageContext } from './views/context';

/** What every page handler needs: who is looking, the form token, the message to show once. */
@Injectable()
export class Pages {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  context(request: Request, response: Response): PageContext {
    const settings = {
      zone: this.config.timezone,
      style: houseStyle(this.config),
      publicUrl: this.config.publicUrl,
      patronsFromIls: this.config.patronAuth === 'sip2',
      now: this.clock.now(),
    };
    return pageContext(request, response, settings, takeFlash(request, response));
  }

  /** Sends a whole page, never cached (see `sendPage`). */
  send(response: Response, page: VNode, status = 200): void {
    sendPage(response, page, status);
  }

  /**
   * Runs a form's action and answers with a redirect (post/redirect/get): to `success` with the
   * action's message, or back to `failure` with the refusal, in the patron's words, that the API
   * would have answered with.
   */
  async act(
    response: Response,
    urls: { success: string; failure: string },
    action: () => Promise<string | { message: string; to: string }>,
  ): Promise<void> {
    try {
      const outcome = await action();
      const { message, to } =
        typeof outcome === 'string' ? { message: outcome, to: urls.success } : outcome;
      setFlash(response, 'success', message);
      response.redirect(303, to);
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      setFlash(response, 'error', messageOf(error));
      response.redirect(303, urls.failure);
    }
  }
}

export function messageOf(error: HttpException): string {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}

/**
 * Checks a posted form against the same DTO class the API uses, so a page can never write what
 * the API would refuse. The form token and empty optional fields are not part of the DTO.
 */
export async function readForm<T extends object>(
  type: ClassConstructor<T>,
  body: unknown,
): Promise<T> {
  const fields: Record<string, unknown> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === CSRF_FIELD || value === '') continue;
      fields[key] = value;
    }
  }
  const dto = plainToInstance(type, fields);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new BadRequestException(messages.join('; ') || 'The form is not filled in correctly.');
  }
  return dto;
}

/** One text field of a posted form, or undefined. */
export function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
