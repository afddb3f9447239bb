import {
  BadRequestException,
  HttpException,
  Injectable,
  NotFoundException,
  ParseUUIDPipe,
} from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { AppConfig } from '../config/app-config';
import { FORM_KEY_FIELD } from './booking-form';
import { CSRF_FIELD } from './csrf';
import { KeptForm, setFlash, takeFlash } from './flash';
import { Glossary, plainMessage } from './plain-words';
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
   * action's message, or back to `failure` with the refusal the API would have answered with, its
   * field paths in the form's words (`glossary`), and what was typed, so the form comes back
   * filled in (PINs and passwords excepted).
   */
  async act(
    response: Response,
    urls: { success: string; failure: string },
    action: () => Promise<string | { message: string; to?: string; keepForm?: boolean }>,
    glossary?: Glossary,
  ): Promise<void> {
    try {
      const outcome = await action();
      const {
        message,
        to = urls.success,
        keepForm = false,
      } = typeof outcome === 'string' ? { message: outcome } : outcome;
      setFlash(response, 'success', message, keepForm ? keptForm(response.req) : undefined);
      response.redirect(303, to);
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      const text = plainMessage(messageOf(error), glossary);
      setFlash(response, 'error', text, keptForm(response.req));
      response.redirect(303, urls.failure);
    }
  }
}

/** Never sent back to the browser in a cookie: secrets, and tokens a fresh page renders anew. */
const NOT_KEPT = new Set(['pin', 'password', 'currentPin', 'currentPassword', 'token', CSRF_FIELD]);

function keepable(name: string): boolean {
  return !NOT_KEPT.has(name) && name !== FORM_KEY_FIELD && name.length <= 100;
}

/** The posted form's text fields, to fill it back in after a refusal. */
export function keptForm(request: Request): KeptForm | undefined {
  const body = request.body as unknown;
  if (!body || typeof body !== 'object') return undefined;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>))
    if (typeof value === 'string' && keepable(name) && value.isWellFormed()) values[name] = value;
  return Object.keys(values).length ? { form: request.path, values } : undefined;
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
    const messages = errors.flatMap((e) => messagesOf(e, ''));
    throw new BadRequestException(messages.join('; ') || 'The form is not filled in correctly.');
  }
  return dto;
}

/**
 * Each problem, nested ones included, starting with the field's whole path (`policy.minMinutes
 * must …`) so a page's glossary can name it as its label does.
 */
function messagesOf(error: ValidationError, parent: string): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) =>
    parent && message.startsWith(`${error.property} `)
      ? `${path}${message.slice(error.property.length)}`
      : message,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => messagesOf(child, path))];
}

/** One text field of a posted form, or undefined. */
export function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * An id in a page's address: a damaged one is a link to nothing, said in words, not the pipe's
 * "Validation failed (uuid v 4 is expected)".
 */
export const pageId = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new NotFoundException(
      'That link is damaged or out of date. Go back to the page and try again.',
    ),
});
