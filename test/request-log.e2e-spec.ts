import { Writable } from 'node:stream';
import { csrfTokenFor } from '../src/web/csrf';
import { createTestApp } from './create-test-app';
import { bearer, signIn } from './factories';

describe('The request log', () => {
  it('leaves out the calendar-feed secret and form tokens in addresses', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = await createTestApp({ env: { LOG_LEVEL: 'info' }, logTo: sink });
    try {
      const patron = await signIn(logged, 'patron');
      const feed = await logged.http.get('/api/me/calendar-feed').set(bearer(patron)).expect(200);
      const url = new URL(feed.body.url as string);
      const secret = url.pathname.split('/').pop()!.replace('.ics', '');
      await logged.http.get(url.pathname).expect(200);
      const staff = await signIn(logged, 'librarian');
      const formToken = csrfTokenFor(staff);
      await logged.http.post(`/api/images?_csrf=${formToken}`).set(bearer(staff));
      await logged.http.get(`/reset?token=reset-secret-value`);
      const log = lines.join('');
      expect(log).toContain('/api/calendar/[redacted].ics');
      expect(log).toContain('_csrf=[redacted]');
      expect(log).not.toContain(secret);
      expect(log).not.toContain(formToken);
      expect(log).not.toContain('reset-secret-value');
    } finally {
      await logged.close();
    }
  });
});
