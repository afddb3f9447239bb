import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config';

/** Query parameters that carry a secret: form tokens (upload URLs), reset and verify links. */
const SECRET_PARAMETER = /token|csrf|secret|password|pin|key/i;
/** A calendar feed's address is its only key. */
const FEED_PATH = /^(\/api\/calendar\/)[^/?]+(\.ics)/;
const REDACTED = '[redacted]';

/** A request URL fit for the log: the feed secret and secret query values blanked out. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at === -1 ? url : url.slice(0, at)).replace(FEED_PATH, `$1${REDACTED}$2`);
  if (at === -1) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const [name] = pair.split('=', 1);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed name is logged as sent; its value is still judged by the raw name.
      }
      return SECRET_PARAMETER.test(decoded) && pair.includes('=') ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function redactValues(values: unknown): unknown {
  if (!values || typeof values !== 'object') return values;
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      SECRET_PARAMETER.test(name) ? REDACTED : value,
    ]),
  );
}

interface LoggedRequest {
  url?: string;
  query?: unknown;
  params?: unknown;
  [field: string]: unknown;
}

/** What the one pino logger of the app is built from: its options and where it writes. */
export interface LoggingParams {
  options: Options;
  /** Standard output when absent. */
  destination?: DestinationStream;
}

/** The provider of `LoggingParams`; the tests override it to read the log. */
export const LOGGING_PARAMS = Symbol('LOGGING_PARAMS');

/** How requests are logged: no credentials, cookies, or secrets in URLs. */
export function loggerParams(config: AppConfig, destination?: DestinationStream): LoggingParams {
  const options: Options = {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      // Path parameters are left out: the URL shows them, with the feed secret blanked.
      req: ({ params: _params, ...req }: LoggedRequest) => ({
        ...req,
        url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
        query: redactValues(req.query),
      }),
    },
  };
  return { options, destination };
}
