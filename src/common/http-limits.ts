import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MAX_STEP_IMAGES } from '../manuals/manual-content';

/**
 * The most characters a valid manual holds, from the limits in ManualContentDto and ImageRefDto:
 * title, summary, introduction and conclusion; 30 steps of a title, a body and their pictures'
 * addresses and alt text; what to bring, the equipment and the prerequisites.
 */
const IMAGE_REF_CHARS = 120 + 300;
const STEP_CHARS = 200 + 20_000 + MAX_STEP_IMAGES * IMAGE_REF_CHARS;
export const MANUAL_MAX_CHARS =
  200 + 1000 + 20_000 + 20_000 + 30 * STEP_CHARS + 30 * 200 + 50 * 80 + 20 * 80 + 100 + 80;

/** Room for field names, punctuation and the other fields of a request around the text. */
const SLACK_BYTES = 256 * 1024;

/**
 * JSON: a character takes at most 6 bytes (`\u0001`; UTF-8 needs at most 4 for one counted
 * character), so the largest valid manual always fits.
 */
export const JSON_BODY_LIMIT = MANUAL_MAX_CHARS * 6 + SLACK_BYTES;

/**
 * Forms: percent-encoding writes each UTF-8 byte as three, so a character takes at most 12 bytes.
 * Twice that, so that a manual typed a little over its limits still reaches the editor, which
 * shows it again with what is wrong instead of losing it.
 */
export const FORM_BODY_LIMIT = 2 * (MANUAL_MAX_CHARS * 12 + SLACK_BYTES);

/** Fields a form may have: the manual editor's are the most (30 steps, 3 pictures each). */
export const FORM_PARAMETER_LIMIT = 2000;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** The one API route that takes something other than JSON: an image upload's multipart form. */
const UPLOAD_PATH = '/api/images';

/** An empty body (a bare `POST …/cancel`) is fine whatever type it claims. */
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * The API reads JSON only. A body of any other type is refused with 415 before it is parsed: a
 * cross-site form can send url-encoded or plain text without asking, but never JSON.
 */
export function jsonOnlyApi(request: Request, _response: Response, next: NextFunction): void {
  const api = request.path === '/api' || request.path.startsWith('/api/');
  if (!api || !BODY_METHODS.has(request.method) || !hasBody(request)) return next();
  if (request.is('application/json')) return next();
  if (request.path === UPLOAD_PATH && request.is('multipart/form-data')) return next();
  next(
    new UnsupportedMediaTypeException({
      message: 'Send the request body as JSON, with Content-Type: application/json.',
    }),
  );
}

/** How long a new connection may stay silent before its request starts, in milliseconds. */
export const SILENT_SOCKET_MS = 15_000;
/** The whole request head must arrive within this. */
export const HEADERS_TIMEOUT_MS = 20_000;
/** The whole request, body included (an image upload on slow Wi-Fi), must arrive within this. */
export const REQUEST_TIMEOUT_MS = 120_000;
/** An idle kept-alive connection is closed after this; below the head timeout, as Node asks. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** How often Node looks for heads and requests past their time (30 s by default). */
const CHECK_EVERY_MS = 5_000;

/**
 * Closes connections that stall, so silent or trickling clients cannot hold sockets forever.
 * Node's head timeout only starts with the first byte, so a silent connection gets a socket
 * timeout of its own, lifted once its request has arrived: a slow answer is never cut off.
 * Call before the server listens (the checking interval is read then).
 */
export function applyServerTimeouts(server: Server): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // A documented createServer option that Node reads off the server when it starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    CHECK_EVERY_MS;
  server.on('connection', (socket: Socket) => socket.setTimeout(SILENT_SOCKET_MS));
  server.on('request', (request: IncomingMessage) => request.socket.setTimeout(0));
}
