import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { readdirSync, utimesSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { AppConfig } from '../src/config/app-config';
import { WriteTransactionService } from '../src/database/write-transaction.service';
import { bookingNotice } from '../src/notifications/booking-notice.factory';
import { OutboxService } from '../src/notifications/outbox.service';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn } from './factories';

interface Received {
  secure: boolean;
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: Buffer;
}

interface Smtp {
  server: SMTPServer;
  port: number;
  inbox: Received[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps whatever it is sent. With `offerStartTls` it offers
 * STARTTLS with its built-in certificate, which no authority signed, as local relays often do.
 * Messages for which `refuse(n)` (n counting from 1) holds are answered 451, try again later.
 */
async function startSmtpServer(
  port = 0,
  offerStartTls = false,
  refuse: (n: number) => boolean = () => false,
): Promise<Smtp> {
  const inbox: Received[] = [];
  let offered = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: offerStartTls ? [] : ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        offered += 1;
        if (refuse(offered))
          return callback(Object.assign(new Error('Busy, try again later'), { responseCode: 451 }));
        const address = (a: SMTPServerAddress | false) => (a ? a.address : undefined);
        inbox.push({
          secure: session.secure,
          mailFrom: address(session.envelope.mailFrom),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as { port: number }).port;
  return {
    server,
    port: bound,
    inbox,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** A server that accepts connections and never says a word, as a wedged mail relay does. */
async function startSilentServer(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port that was just free and is closed again, so connecting is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const ENV = { LIBRARY_TIMEZONE: 'America/New_York', PUBLIC_URL: 'https://lab.library.example' };

/**
 * Books `count` half-hours from 13:00 on Tuesday 1 December for the demo patron, so that the only
 * mail queued is the bookings' (a new registration would add its confirmation link).
 */
async function bookSome(t: TestApp, count: number) {
  const device = await newDevice(t, { policy: { maxActivePerPatron: 20 } });
  const booked: { id: string; code: string; email: string }[] = [];
  const token = await signIn(t, 'patron');
  for (let i = 0; i < count; i += 1) {
    const start = new Date(Date.parse(local('2026-12-01T13:00')) + i * 30 * 60_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    const response = await t.http
      .post('/api/bookings')
      .set(bearer(token))
      .send({ equipment: device, start: start.toISOString(), end: end.toISOString() })
      .expect(201);
    booked.push({
      id: response.body.id as string,
      code: response.body.code as string,
      email: 'patron@example.org',
    });
  }
  return { device, booked };
}

async function codesIn(inbox: Received[]): Promise<string[]> {
  const mails = await Promise.all(inbox.map((r) => simpleParser(r.raw)));
  return mails.map((m) => /Booking code: ([A-Z0-9]+)/.exec(m.text ?? '')?.[1] ?? '?').sort();
}

describe('Booking e-mails over SMTP', () => {
  it('delivers the confirmation from MAIL_FROM with the booking attached for the calendar', async () => {
    const smtp = await startSmtpServer();
    const t = await createTestApp({
      env: {
        ...ENV,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        MAIL_FROM: 'Power Library Media Lab <media-lab@library.example>',
      },
    });
    try {
      const { booked } = await bookSome(t, 1);
      expect(smtp.inbox).toEqual([]);

      await expect(t.deliverMail()).resolves.toMatchObject({ sent: 1, retrying: 0 });

      expect(smtp.inbox).toHaveLength(1);
      const [received] = smtp.inbox;
      expect(received.secure).toBe(false);
      expect(received.mailFrom).toBe('media-lab@library.example');
      expect(received.rcptTo).toEqual([booked[0].email]);
      const mail = await simpleParser(received.raw);
      expect(mail.from?.text).toBe('"Power Library Media Lab" <media-lab@library.example>');
      expect(mail.subject).toMatch(/^Your booking is confirmed: /);
      expect(mail.text).toContain(`Booking code: ${booked[0].code}`);
      const [attachment] = mail.attachments;
      expect(attachment.filename).toBe('booking.ics');
      expect(attachment.headers.get('content-type')).toMatchObject({
        params: { method: 'REQUEST' },
      });
      const calendar = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')));
      const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') ?? undefined);
      expect(event.uid).toBe(`${booked[0].id}@lab.library.example`);
      expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-01T18:00:00.000Z');
      expect(event.organizer).toBe('mailto:media-lab@library.example');

      // Delivered once: the next tick has nothing to send.
      await expect(t.deliverMail()).resolves.toMatchObject({ sent: 0 });
      expect(smtp.inbox).toHaveLength(1);
    } finally {
      await t.close();
      await smtp.close();
    }
  });

  it('sends in plain text to a loopback relay whose STARTTLS certificate nobody signed', async () => {
    const relay = await startSmtpServer(0, true);
    const t = await createTestApp({ env: { ...ENV, SMTP_URL: `smtp://127.0.0.1:${relay.port}` } });
    try {
      await bookSome(t, 1);
      await t.deliverMail();
      expect(relay.inbox).toHaveLength(1);
      expect(relay.inbox[0].secure).toBe(false);
    } finally {
      await t.close();
      await relay.close();
    }
  });

  it('books without waiting while the mail server hangs, then delivers every notice once when it recovers', async () => {
    const silent = await startSilentServer();
    const t = await createTestApp({
      env: { ...ENV, SMTP_URL: `smtp://127.0.0.1:${silent.port}`, SMTP_TIMEOUT_SECONDS: '300' },
    });
    let smtp: Smtp | undefined;
    try {
      const first = await bookSome(t, 1);
      // The worker is stuck on the silent server while patrons go on booking.
      let delivering = true;
      const stuck = t.deliverMail().finally(() => {
        delivering = false;
      });
      await until(() => silent.connections() > 0, 'the worker to reach the mail server');
      const more = await bookSome(t, 3);
      expect(delivering).toBe(true);
      // The relay drops the connection at last; the worker puts the message back for later.
      await silent.close();
      await expect(stuck).resolves.toMatchObject({ sent: 0, retrying: 1 });

      const staff = await signIn(t, 'staff');
      const pending = await t.http
        .get('/api/notifications?status=pending')
        .set(bearer(staff))
        .expect(200);
      const booked = [...first.booked, ...more.booked];
      expect(pending.body).toHaveLength(booked.length);
      expect(pending.body.map((n: { bookingId: string }) => n.bookingId).sort()).toEqual(
        booked.map((b) => b.id).sort(),
      );
      expect(pending.body.find((n: { attempts: number }) => n.attempts === 1)).toMatchObject({
        kind: 'confirmed',
        lastError: expect.stringMatching(/closed|greeting|timeout/i),
      });

      // The relay comes back on the same port; the retry is due half a minute later.
      smtp = await startSmtpServer(silent.port);
      await expect(t.deliverMail()).resolves.toMatchObject({ sent: 3 });
      t.clock.advance(1);
      await expect(t.deliverMail()).resolves.toMatchObject({ sent: 1 });
      t.clock.advance(120);
      await expect(t.deliverMail()).resolves.toMatchObject({ sent: 0 });

      expect(await codesIn(smtp.inbox)).toEqual(booked.map((b) => b.code).sort());
      const sent = await t.http
        .get('/api/notifications?status=sent')
        .set(bearer(staff))
        .expect(200);
      expect(sent.body).toHaveLength(booked.length);
    } finally {
      await t.close();
      await silent.close().catch(() => undefined);
      await smtp?.close();
    }
  }, 30_000);

  it('puts the rest of what it claimed back when the mail server refuses a message, for the next pass', async () => {
    const smtp = await startSmtpServer(0, false, (n) => n === 2);
    const t = await createTestApp({ env: { ...ENV, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
    try {
      const { booked } = await bookSome(t, 12);
      const first = await t.deliverMail();
      expect(first).toMatchObject({ retrying: 1, failed: 0 });
      // Those not yet on their way when the refusal came were not left claimed: the next pass
      // sends them at once, and the refused one when its retry is due.
      const second = await t.deliverMail();
      expect(second).toMatchObject({ retrying: 0, failed: 0 });
      expect(second.sent).toBeGreaterThan(0);
      expect(first.sent + second.sent).toBe(booked.length - 1);
      t.clock.advance(1);
      await expect(t.deliverMail()).resolves.toMatchObject({ sent: 1, retrying: 0 });
      expect(await codesIn(smtp.inbox)).toEqual(booked.map((b) => b.code).sort());
    } finally {
      await t.close();
      await smtp.close();
    }
  });

  it('gives a message up after 48 hours of tries, and a librarian can send it again', async () => {
    const port = await closedPort();
    const t = await createTestApp({ env: { ...ENV, SMTP_URL: `smtp://127.0.0.1:${port}` } });
    let smtp: Smtp | undefined;
    try {
      const { booked } = await bookSome(t, 1);
      for (let hour = 0; hour <= 49; hour += 1) {
        await t.deliverMail();
        t.clock.advance(60);
      }
      const staff = await signIn(t, 'staff');
      const failed = await t.http
        .get('/api/notifications?status=failed')
        .set(bearer(staff))
        .expect(200);
      expect(failed.body).toEqual([
        expect.objectContaining({
          bookingId: booked[0].id,
          recipient: booked[0].email,
          lastError: expect.stringContaining('ECONNREFUSED'),
        }),
      ]);
      const id = failed.body[0].id as string;
      await t.http.post(`/api/notifications/${id}/retry`).set(bearer(staff)).expect(403);
      // The desk sees it too, with what went wrong.
      const desk = await t.http.get('/desk').set(bearer(staff)).expect(200);
      expect(desk.text).toContain('0 waiting to go, 1 given up after two days of tries.');
      expect(desk.text).toContain(failed.body[0].subject as string);
      expect(desk.text).toContain('ECONNREFUSED');
      expect(desk.text).not.toContain('Send again');

      smtp = await startSmtpServer(port);
      const librarian = await signIn(t, 'librarian');
      // From the desk page, as a librarian would.
      const librarianDesk = await t.http.get('/desk').set(bearer(librarian)).expect(200);
      expect(librarianDesk.text).toContain('Send again');
      await t.http.post(`/desk/mail/${id}/retry`).set(bearer(librarian)).expect(303);
      const retried = await t.http
        .get(`/api/notifications?status=pending`)
        .set(bearer(librarian))
        .expect(200);
      expect(retried.body).toEqual([expect.objectContaining({ id, status: 'pending' })]);
      await t.http.post(`/api/notifications/${id}/retry`).set(bearer(librarian)).expect(200);
      await t.deliverMail();
      expect(await codesIn(smtp.inbox)).toEqual([booked[0].code]);
    } finally {
      await t.close();
      await smtp?.close();
    }
  }, 30_000);

  // Several instances share one database only on PostgreSQL.
  (ON_POSTGRES ? it : it.skip)(
    'sends each message once when two instances deliver at the same time',
    async () => {
      const smtp = await startSmtpServer();
      const t = await createTestApp({ env: { ...ENV, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
      try {
        const other = await t.secondInstance();
        const { booked } = await bookSome(t, 8);
        const reports = await Promise.all([t.deliverMail(), other.deliverMail()]);
        expect(reports[0].sent + reports[1].sent).toBe(booked.length);
        expect(await codesIn(smtp.inbox)).toEqual(booked.map((b) => b.code).sort());
      } finally {
        await t.close();
        await smtp.close();
      }
    },
  );
});

describe('The mail outbox', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: ENV });
  });
  afterAll(() => t.close());

  it('queues no notice for a change that was refused', async () => {
    const staff = await signIn(t, 'staff');
    const { device } = await bookSome(t, 1);
    const rival = await newPatron(t);
    const before = await t.http.get('/api/notifications').set(bearer(staff)).expect(200);
    await t.http
      .post('/api/bookings')
      .set(bearer(rival.token))
      .send({
        equipment: device,
        start: local('2026-12-01T13:00'),
        end: local('2026-12-01T13:30'),
      })
      .expect(409);
    const after = await t.http.get('/api/notifications').set(bearer(staff)).expect(200);
    expect(after.body).toHaveLength(before.body.length);
  });

  it('keeps the outbox to staff, and retries to librarians', async () => {
    const patron = await newPatron(t);
    await t.http.get('/api/notifications').expect(401);
    await t.http.get('/api/notifications').set(bearer(patron.token)).expect(403);
    await t.http
      .get('/api/notifications?status=lost')
      .set(bearer(await signIn(t, 'staff')))
      .expect(400);
  });

  it('sends a held notice when it is released, or as it was queued if the release never comes', async () => {
    const outbox = t.app.get(OutboxService);
    const writes = t.app.get(WriteTransactionService);
    const queue = (code: string) =>
      writes.run((manager) =>
        outbox.queueNotice(
          manager,
          'displaced',
          bookingNotice({ code, patronEmail: `held-${code}@example.org`, extra: 'As queued.' }),
          true,
        ),
      );
    const released = await queue('HELD01');
    const forgotten = await queue('HELD02');
    await t.deliverMail();
    const held = (await t.mailbox()).filter((m) => /HELD0/.test(m.text ?? ''));
    expect(held).toEqual([]);

    await writes.run((manager) => outbox.release(manager, released, 'With the offer.'));
    const first = (await t.mailbox()).filter((m) => /HELD0/.test(m.text ?? ''));
    expect(first.map((m) => m.text)).toEqual([expect.stringContaining('With the offer.')]);
    expect(forgotten).not.toBe(released);

    // The process that should have released it died: five minutes on, it goes as queued.
    t.clock.advance(6);
    const all = (await t.mailbox()).filter((m) => /HELD0/.test(m.text ?? ''));
    expect(all).toHaveLength(2);
    expect(all.find((m) => /HELD02/.test(m.text ?? ''))?.text).toContain('As queued.');
    t.clock.advance(-6);
  });

  it('sends its notices while bookings keep the writes busy, not waiting a turn for each', async () => {
    const outbox = t.app.get(OutboxService);
    const writes = t.app.get(WriteTransactionService);
    const codes = Array.from({ length: 25 }, (_, i) => `BUSY${String(i).padStart(2, '0')}`);
    await writes.run(async (manager) => {
      for (const code of codes)
        await outbox.queueNotice(
          manager,
          'confirmed',
          bookingNotice({ code, patronEmail: `${code.toLowerCase()}@example.org` }),
        );
    });
    // One write after another, each holding its turn as long as a busy lab's group of bookings.
    let turns = 0;
    let busy = true;
    const bookings = (async () => {
      while (busy) {
        await writes.run(() => new Promise((resolve) => setTimeout(resolve, 100)));
        turns += 1;
      }
    })();
    try {
      const report = await t.deliverMail();
      expect(report.sent).toBeGreaterThanOrEqual(codes.length);
    } finally {
      busy = false;
      await bookings;
    }
    // A turn to claim each notice and another to record it would have taken fifty; the sending
    // itself takes a few.
    expect(turns).toBeLessThan(codes.length);
    const sent = (await t.mailbox()).filter((m) => /BUSY\d\d/.test(m.text ?? ''));
    expect(sent.map((m) => /BUSY\d\d/.exec(m.text ?? '')?.[0]).sort()).toEqual(codes);
  });

  it('prunes e-mail files and delivered records older than OUTBOX_KEEP_DAYS', async () => {
    await bookSome(t, 2);
    const files = await t.mailbox();
    expect(files.length).toBeGreaterThanOrEqual(2);
    const outbox = t.app.get(OutboxService);
    const now = t.clock.now();
    await expect(outbox.prune(now)).resolves.toEqual({ records: 0, files: 0 });

    // Fifteen days on, with the default of 14 days kept, the files and records go.
    const old = new Date(now.getTime() - 15 * 86_400_000);
    const dir = join(t.app.get(AppConfig).dataDir, 'outbox');
    for (const name of readdirSync(dir)) utimesSync(join(dir, name), old, old);
    const pruned = await outbox.prune(new Date(now.getTime() + 15 * 86_400_000));
    expect(pruned.files).toBe(files.length);
    expect(pruned.records).toBeGreaterThanOrEqual(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});
