import { DateTime } from 'luxon';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { OverdueLoansService } from '../src/loans/overdue-loans.service';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import { bearer, eventually, local, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

// Several instances on one SQLite file would queue behind each other's write locks; the README
// allows one instance per SQLite file, so the load-balanced cases only mean something on Postgres.
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

interface BookedSlot {
  id: string;
  code: string;
}

interface Mail {
  subject: string;
  text: string;
}

/**
 * Every e-mail written so far; all instances of one test app share the data folder. The mail
 * workers of both instances run at once first, as their ticks would, and must send each once.
 */
async function outbox(t: TestApp, other?: TestApp): Promise<Mail[]> {
  if (other) await Promise.all([t.deliverMail(), other.deliverMail()]);
  const mails = await t.mailbox();
  return mails.map((parsed) => ({ subject: parsed.subject ?? '', text: parsed.text ?? '' }));
}

/** The booking codes named by the e-mails whose subject matches, one entry per e-mail. */
async function codesMailed(t: TestApp, subject: RegExp, other?: TestApp): Promise<string[]> {
  return (await outbox(t, other))
    .filter((m) => subject.test(m.subject))
    .map((m) => /Booking code: ([A-Z0-9]+)/.exec(m.text)?.[1] ?? `no code in "${m.subject}"`)
    .sort();
}

const RELEASED = /^We released your booking/;
const REMINDER = /reminder/i;

/**
 * Books half-hour sessions back to back from the local time `first`, `perDevice` on each device,
 * through the given instances in turn, for the patrons in turn, all at once.
 */
async function bookSessions(
  instances: TestApp[],
  patrons: TestPatron[],
  devices: string[],
  first: string,
  perDevice: number,
): Promise<BookedSlot[]> {
  const opening = DateTime.fromISO(local(first), { setZone: true });
  const at = (minutes: number) => opening.plus({ minutes }).toISO({ suppressMilliseconds: true })!;
  const requests = devices.flatMap((device, d) =>
    Array.from({ length: perDevice }, (_, i) => {
      const n = d * perDevice + i;
      return instances[n % instances.length].http
        .post('/api/bookings')
        .set(bearer(patrons[n % patrons.length].token))
        .send({ equipment: device, start: at(i * 30), end: at(i * 30 + 30) });
    }),
  );
  const responses = await Promise.all(requests);
  expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
  return responses.map((r) => ({ id: r.body.id as string, code: r.body.code as string }));
}

async function statusesOf(t: TestApp, staff: string, booked: BookedSlot[]): Promise<string[]> {
  const rows = await Promise.all(
    booked.map((b) => t.http.get(`/api/bookings/${b.id}`).set(bearer(staff)).expect(200)),
  );
  return rows.map((r) => r.body.status as string);
}

describe('Scheduled sweeps on one instance', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  it('marks each late booking a no-show once when two sweeps overlap', async () => {
    const policy = { maxActivePerPatron: 20 };
    const devices = [await newDevice(t, { policy }), await newDevice(t, { policy })];
    const patrons = [await newPatron(t), await newPatron(t), await newPatron(t)];
    const booked = await bookSessions([t], patrons, devices, '2026-12-01T10:00', 5);
    const sweeps = t.app.get(BookingSweeps);

    t.clock.set(local('2026-12-01T12:30'));
    let marked = 0;
    for (let round = 0; round < 3; round += 1) {
      const counts = await Promise.all([
        sweeps.markNoShows(t.clock.now()),
        sweeps.markNoShows(t.clock.now()),
      ]);
      marked += counts[0] + counts[1];
    }

    expect(marked).toBe(booked.length);
    expect(await statusesOf(t, staff, booked)).toEqual(booked.map(() => 'no_show'));
    expect(await codesMailed(t, RELEASED)).toEqual(booked.map((b) => b.code).sort());
  });

  it('sends each reminder once when two sweeps overlap', async () => {
    const policy = { maxActivePerPatron: 20 };
    const devices = [await newDevice(t, { policy }), await newDevice(t, { policy })];
    const patrons = [await newPatron(t), await newPatron(t)];
    const booked = await bookSessions([t], patrons, devices, '2026-12-03T12:00', 4);
    const sweeps = t.app.get(BookingSweeps);
    const before = await codesMailed(t, REMINDER);

    t.clock.set(local('2026-12-02T16:00'));
    let sent = 0;
    for (let round = 0; round < 3; round += 1) {
      const counts = await Promise.all([
        sweeps.sendReminders(t.clock.now()),
        sweeps.sendReminders(t.clock.now()),
      ]);
      sent += counts[0] + counts[1];
    }

    expect(sent).toBe(booked.length);
    const reminded = (await codesMailed(t, REMINDER)).filter((code) => !before.includes(code));
    expect(reminded).toEqual(booked.map((b) => b.code).sort());
  });
});

describeOnPostgres('Two instances behind a load balancer, one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let staffOnA: string;
  let staffOnB: string;

  // A fresh database per test keeps each sweep's counts to the bookings that test made.
  beforeEach(async () => {
    a = await createTestApp({ now: NOW });
    b = await a.secondInstance();
    staffOnA = await signIn(a, 'staff');
    staffOnB = await signIn(b, 'staff');
  });
  afterEach(() => a.close());

  // A hundred sign-ups hash a hundred PINs, which takes a while on a busy machine.
  it('gives one slot to exactly one of 100 patrons racing through both instances', async () => {
    const device = await newDevice(a);
    // Each patron signs up on one instance and books through the other, so sessions must be shared.
    const patrons = await Promise.all(
      Array.from({ length: 100 }, (_, i) => newPatron(i % 2 === 0 ? b : a)),
    );
    const slot = {
      equipment: device,
      start: local('2026-12-03T15:00'),
      end: local('2026-12-03T16:00'),
    };

    const responses = await Promise.all(
      patrons.map((p, i) =>
        (i % 2 === 0 ? a : b).http.post('/api/bookings').set(bearer(p.token)).send(slot),
      ),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const refused = responses.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(
      refused.map(() => [409, 'SLOT_TAKEN']),
    );
    const winner = responses.find((r) => r.status === 201)!;
    for (const [instance, staff] of [
      [a, staffOnA],
      [b, staffOnB],
    ] as const) {
      const listed = await instance.http
        .get('/api/bookings')
        .query({ equipment: device })
        .set(bearer(staff))
        .expect(200);
      expect(listed.body.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
        [winner.body.id, 'confirmed'],
      ]);
    }
  }, 120_000);

  it('marks each late booking a no-show once while both instances sweep at the same time', async () => {
    const policy = { maxActivePerPatron: 20 };
    const devices = [await newDevice(a, { policy }), await newDevice(b, { policy })];
    const patrons = await Promise.all(
      Array.from({ length: 5 }, (_, i) => newPatron(i % 2 ? a : b)),
    );
    const booked = await bookSessions([a, b], patrons, devices, '2026-12-01T10:00', 10);

    // The last session starts at 14:30; its 15 minutes of grace are over at 14:45.
    a.clock.set(local('2026-12-01T14:45'));
    const [sweepA, sweepB] = [a.app.get(BookingSweeps), b.app.get(BookingSweeps)];
    expect(sweepA).not.toBe(sweepB);
    let marked = 0;
    for (let round = 0; round < 3; round += 1) {
      const counts = await Promise.all([
        sweepA.markNoShows(a.clock.now()),
        sweepB.markNoShows(b.clock.now()),
      ]);
      marked += counts[0] + counts[1];
    }

    expect(marked).toBe(booked.length);
    expect(await statusesOf(a, staffOnA, booked)).toEqual(booked.map(() => 'no_show'));
    expect(await statusesOf(b, staffOnB, booked)).toEqual(booked.map(() => 'no_show'));
    expect(await codesMailed(a, RELEASED, b)).toEqual(booked.map((x) => x.code).sort());
  });

  it('sends each reminder once while both instances sweep at the same time', async () => {
    const policy = { maxActivePerPatron: 20 };
    const devices = [
      await newDevice(a, { policy }),
      await newDevice(b, { policy }),
      await newDevice(a, { policy }),
      await newDevice(b, { policy }),
    ];
    const patrons = await Promise.all(
      Array.from({ length: 4 }, (_, i) => newPatron(i % 2 ? a : b)),
    );
    // Booked on Tuesday morning for Thursday 12:00–14:30, over two days ahead, so the
    // confirmation does not stand in for the reminder.
    const booked = await bookSessions([a, b], patrons, devices, '2026-12-03T12:00', 5);
    expect(await codesMailed(a, REMINDER, b)).toEqual([]);

    // Wednesday 16:00: every session starts 20 to 22 hours later, inside the 24-hour window.
    a.clock.set(local('2026-12-02T16:00'));
    const [sweepA, sweepB] = [a.app.get(BookingSweeps), b.app.get(BookingSweeps)];
    let sent = 0;
    for (let round = 0; round < 3; round += 1) {
      const counts = await Promise.all([
        sweepA.sendReminders(a.clock.now()),
        sweepB.sendReminders(b.clock.now()),
      ]);
      sent += counts[0] + counts[1];
    }

    expect(sent).toBe(booked.length);
    expect(await codesMailed(b, REMINDER, a)).toEqual(booked.map((x) => x.code).sort());
  });

  it('sends each overdue loan notice once while both instances sweep at the same time', async () => {
    const kits = await Promise.all(
      [a, b, a, b].map(async (instance, i) => {
        const assetTag = `MI-${process.pid}-${i}`;
        const slug = await newDevice(instance, {
          category: 'audio-loan',
          kind: 'loan',
          assetTag,
          parts: ['Recorder'],
          policy: {
            slotMinutes: 1440,
            minMinutes: 1440,
            maxMinutes: 2880,
            maxMinutesPerWeek: 10080,
          },
        });
        return { slug, assetTag };
      }),
    );
    const patrons = await Promise.all(kits.map((_, i) => newPatron(i % 2 ? a : b)));
    const loans: BookedSlot[] = [];
    for (const [i, kit] of kits.entries()) {
      const reserved = await (i % 2 ? b : a).http
        .post('/api/bookings')
        .set(bearer(patrons[i].token))
        .send({
          equipment: kit.slug,
          start: local('2026-12-02T00:00'),
          end: local('2026-12-03T00:00'),
        })
        .expect(201);
      loans.push({ id: reserved.body.id as string, code: reserved.body.code as string });
    }
    a.clock.set(local('2026-12-02T11:00'));
    for (const [i, kit] of kits.entries()) {
      await (i % 2 ? a : b).http
        .post('/api/loans/check-out')
        .set(bearer(i % 2 ? staffOnA : staffOnB))
        .send({ assetTag: kit.assetTag, cardNumber: patrons[i].cardNumber })
        .expect(200);
    }

    a.clock.set(local('2026-12-03T09:00'));
    const [sweepA, sweepB] = [a.app.get(OverdueLoansService), b.app.get(OverdueLoansService)];
    let sent = 0;
    for (let round = 0; round < 3; round += 1) {
      const counts = await Promise.all([
        sweepA.sendNotices(a.clock.now()),
        sweepB.sendNotices(b.clock.now()),
      ]);
      sent += counts[0] + counts[1];
    }

    expect(sent).toBe(loans.length);
    expect(await codesMailed(a, /overdue/, b)).toEqual(loans.map((x) => x.code).sort());
  });

  it('frees a time cancelled on one instance for booking through the other at once', async () => {
    const device = await newDevice(a);
    const [holder, next] = [await newPatron(a), await newPatron(b)];
    const slot = {
      equipment: device,
      start: local('2026-12-02T15:00'),
      end: local('2026-12-02T16:00'),
    };
    const slotOnB = async () => {
      const day = await b.http
        .get(`/api/equipment/${device}/availability`)
        .query({ date: '2026-12-02' })
        .expect(200);
      return day.body.slots
        .filter((s: { start: string }) => s.start >= slot.start && s.start < slot.end)
        .map((s: { available: boolean }) => s.available);
    };

    const held = await a.http
      .post('/api/bookings')
      .set(bearer(holder.token))
      .send(slot)
      .expect(201);
    const refused = await b.http
      .post('/api/bookings')
      .set(bearer(next.token))
      .send(slot)
      .expect(409);
    expect(refused.body.code).toBe('SLOT_TAKEN');
    expect(await slotOnB()).toEqual([false, false]);

    await a.http.post(`/api/bookings/${held.body.id}/cancel`).set(bearer(holder.token)).expect(200);

    const seen = await b.http
      .get(`/api/bookings/${held.body.id}`)
      .set(bearer(staffOnB))
      .expect(200);
    expect(seen.body.status).toBe('cancelled');
    expect(await slotOnB()).toEqual([true, true]);
    const taken = await b.http.post('/api/bookings').set(bearer(next.token)).send(slot).expect(201);
    const live = await a.http
      .get('/api/bookings')
      .query({ equipment: device, status: 'confirmed' })
      .set(bearer(staffOnA))
      .expect(200);
    expect(live.body.map((x: { id: string }) => x.id)).toEqual([taken.body.id]);
  });

  it("counts a patron's booking made through one instance in their look through the other, as it is announced", async () => {
    const device = await newDevice(a, {
      category: 'audio',
      policy: { maxMinutesPerDay: 60, minMinutes: 60 },
    });
    const patron = await newPatron(a);
    const limitedOnB = async () => {
      const day = await b.http
        .get(`/api/equipment/${device}/availability`)
        .query({ date: '2026-12-02' })
        .set(bearer(patron.token))
        .expect(200);
      return (day.body.slots as { reason?: { code: string } }[]).some(
        (s) => s.reason?.code === 'DAILY_LIMIT',
      );
    };
    // Looked at twice through B, which then holds the patron's bookings in memory.
    expect(await limitedOnB()).toBe(false);
    expect(await limitedOnB()).toBe(false);
    const booked = await a.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local('2026-12-02T10:00'), end: local('2026-12-02T11:00') })
      .expect(201);
    await eventually(limitedOnB, 'the booking made through A');
    await a.http
      .post(`/api/bookings/${booked.body.id}/cancel`)
      .set(bearer(patron.token))
      .expect(200);
    await eventually(async () => !(await limitedOnB()), 'the cancellation made through A');
  });

  it('ends a session on every instance: signed out or disabled on one, the token opens nothing on the other', async () => {
    const patron = await newPatron(a);
    const meOnB = (token: string) => b.http.get('/api/me').set(bearer(token));
    // Read twice through B, which then holds the session in memory.
    await meOnB(patron.token).expect(200);
    await meOnB(patron.token).expect(200);
    await a.http.post('/api/auth/logout').set(bearer(patron.token)).expect(204);
    await until401(() => meOnB(patron.token));

    const staff = (await meOnB(staffOnB).expect(200)).body as { id: string };
    await meOnB(staffOnB).expect(200);
    const librarian = await signIn(a, 'librarian');
    await a.http
      .patch(`/api/staff/${staff.id}`)
      .set(bearer(librarian))
      .send({ disabled: true })
      .expect(200);
    // A change is checked against the database: refused at once.
    await b.http.post('/api/closures').set(bearer(staffOnB)).send({}).expect(401);
    await until401(() => meOnB(staffOnB));
  });
});

/** Asks until the answer is 401, as an instance hears of the change: at most 2 s. */
async function until401(ask: () => PromiseLike<{ status: number }>): Promise<void> {
  for (let waited = 0; (await ask()).status !== 401; waited += 20) {
    if (waited > 2_000) throw new Error('still let in 2 s after the session ended');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
