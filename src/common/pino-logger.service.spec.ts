import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { PinoLoggerService, requestLogs } from './pino-logger.service';

function logged() {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  const http = pinoHttp({ level: 'trace' }, sink);
  return {
    http,
    logger: new PinoLoggerService(http),
    lines: () => out.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe(PinoLoggerService.name, () => {
  it('writes Nest’s message with the class that logged it as the context', () => {
    const { logger, lines } = logged();
    logger.log('Nest application successfully started', 'NestApplication');
    logger.verbose('details', 'Seeding');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 30,
        context: 'NestApplication',
        msg: 'Nest application successfully started',
      }),
      expect.objectContaining({ level: 10, context: 'Seeding', msg: 'details' }),
    ]);
  });

  it('keeps the stack an exception handler passes beside its message', () => {
    const { logger, lines } = logged();
    logger.error('boom', 'Error: boom\n    at somewhere (file.ts:1:1)', 'ExceptionsHandler');
    const [line] = lines();
    expect(line).toMatchObject({ level: 50, context: 'ExceptionsHandler', msg: 'boom' });
    expect((line.err as { stack: string }).stack).toContain('at somewhere (file.ts:1:1)');
  });

  it('logs through the request’s own logger while serving a request', () => {
    const { http, logger, lines } = logged();
    requestLogs.run(http.logger.child({ reqId: 7 }), () =>
      logger.warn('slow answer', 'BookingsService'),
    );
    logger.warn('outside any request', 'BookingsService');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 40, reqId: 7, msg: 'slow answer' }),
      expect.not.objectContaining({ reqId: 7 }),
    ]);
  });
});
