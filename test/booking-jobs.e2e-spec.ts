import ICAL from 'ical.js';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { createTestApp, TestApp } from './create-test-app';
import {
  bearer,
  local,
  mailTo as mailToPatron,
  newDevice,
  newPatron,
  signIn,
  TestPatron,
} from './factories';

const NOW = '2026-12-01T14:00:00Z';

describe('No-shows, reminders, the waitlist and calendars', () => {
  let t: TestApp;
  let sweeps: BookingSweeps;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    sweeps = t.app.get(BookingSweeps);
    staff = await signIn(t, 'staff');
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const book = (patron: TestPatron, equipment: string, start: string, end: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment, start: local(start), end: local(end) });

  const mailTo = (patron: TestPatron) => mailToPatron(t, patron);

  describe('no-shows', () => {
    it('marks a booking not checked in within 15 minutes as a no-show, keeps the row and frees the time', async () => {
      const device = await newDevice(t);
      const [a, b] = [await newPatron(t), await newPatron(t)];
      const booking = await book(a, device, '2026-12-01T11:00', '2026-12-01T12:00').expect(201);
      t.clock.set(local('2026-12-01T11:14'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
      t.clock.set(local('2026-12-01T11:15'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(1);
      const row = await t.http
        .get(`/api/bookings/${booking.body.id}`)
        .set(bearer(a.token))
        .expect(200);
      expect(row.body.status).toBe('no_show');
      expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
      // The rest of the hour can be taken at the desk.
      await t.http
        .post('/api/bookings')
        .set(bearer(staff))
        .send({
          equipment: device,
          start: local('2026-12-01T11:00'),
          end: local('2026-12-01T12:00'),
          cardNumber: b.cardNumber,
        })
        .expect(201);
    });

    it('does not mark a checked-in booking', async () => {
      const device = await newDevice(t);
      const a = await newPatron(t);
      const booking = await book(a, device, '2026-12-01T11:00', '2026-12-01T12:00').expect(201);
      t.clock.set(local('2026-12-01T11:05'));
      await t.http.post(`/api/bookings/${booking.body.id}/check-in`).set(bearer(staff)).expect(200);
      t.clock.set(local('2026-12-01T11:30'));
      await sweeps.markNoShows(t.clock.now());
      const row = await t.http
        .get(`/api/bookings/${booking.body.id}`)
        .set(bearer(staff))
        .expect(200);
      expect(row.body.status).toBe('checked_in');
    });

    it('pauses booking after three no-shows until staff lift it', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      for (const hour of ['10', '12', '14'])
        await book(patron, device, `2026-12-02T${hour}:00`, `2026-12-02T${hour}:30`).expect(201);
      t.clock.set(local('2026-12-02T15:00'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(3);
      const refused = await book(patron, device, '2026-12-03T10:00', '2026-12-03T10:30').expect(
        422,
      );
      expect(refused.body).toMatchObject({
        code: 'ACCOUNT_SUSPENDED',
        message:
          'Booking is paused on this card until Wed, Dec 16, 3:00 PM. Please ask at the desk.',
      });
      const profile = await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
      expect(profile.body.suspendedUntil).toMatch(/^2026-12-16T15:00:00-05:00$/);
      await t.http
        .delete(`/api/patrons/${patron.cardNumber}/suspension`)
        .set(bearer(staff))
        .expect(200);
      await book(patron, device, '2026-12-03T10:00', '2026-12-03T10:30').expect(201);
    });
  });

  describe('reminders', () => {
    it('sends one reminder a day ahead, and none for a booking made inside that day', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      await book(patron, device, '2026-12-03T16:00', '2026-12-03T17:00').expect(201);
      await book(patron, device, '2026-12-01T16:00', '2026-12-01T17:00').expect(201);
      expect(await sweeps.sendReminders(t.clock.now())).toBe(0);
      t.clock.set(local('2026-12-02T16:30'));
      expect(await sweeps.sendReminders(t.clock.now())).toBe(1);
      expect(await sweeps.sendReminders(t.clock.now())).toBe(0);
      const reminders = (await mailTo(patron)).filter((m) => /reminder/i.test(m.subject ?? ''));
      expect(reminders).toHaveLength(1);
      expect(reminders[0].subject).toMatch(/^Reminder: .+, Thu, Dec 3, 4:00 – 5:00 PM$/);
    });
  });

  describe('waitlist', () => {
    it('books the first waiting patron who still qualifies when the time frees, and keeps the others in line', async () => {
      const device = await newDevice(t, { policy: { maxActivePerPatron: 1 } });
      const [holder, busy, next, last] = [
        await newPatron(t),
        await newPatron(t),
        await newPatron(t),
        await newPatron(t),
      ];
      const held = await book(holder, device, '2026-12-02T10:00', '2026-12-02T11:00').expect(201);
      const slot = {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:00'),
      };
      await t.http.post('/api/waitlist').set(bearer(busy.token)).send(slot).expect(201);
      const second = await t.http
        .post('/api/waitlist')
        .set(bearer(next.token))
        .send(slot)
        .expect(201);
      await t.http.post('/api/waitlist').set(bearer(last.token)).send(slot).expect(201);
      expect(second.body).toMatchObject({ status: 'waiting', position: 2 });
      await t.http.post('/api/waitlist').set(bearer(next.token)).send(slot).expect(409);
      // The first in line takes another booking of the device meanwhile, so no longer qualifies.
      await book(busy, device, '2026-12-02T15:00', '2026-12-02T16:00').expect(201);

      await t.http
        .post(`/api/bookings/${held.body.id}/cancel`)
        .set(bearer(holder.token))
        .expect(200);

      const promoted = await t.http.get('/api/waitlist').set(bearer(next.token)).expect(200);
      expect(promoted.body).toEqual([
        expect.objectContaining({
          status: 'promoted',
          position: null,
          bookingId: expect.any(String),
        }),
      ]);
      const booking = await t.http
        .get(`/api/bookings/${promoted.body[0].bookingId}`)
        .set(bearer(next.token))
        .expect(200);
      expect(booking.body).toMatchObject({
        status: 'confirmed',
        start: '2026-12-02T10:00:00-05:00',
      });
      const stillFirst = await t.http.get('/api/waitlist').set(bearer(busy.token)).expect(200);
      expect(stillFirst.body).toEqual([
        expect.objectContaining({ status: 'waiting', position: 1 }),
      ]);
      const stillWaiting = await t.http.get('/api/waitlist').set(bearer(last.token)).expect(200);
      expect(stillWaiting.body).toEqual([
        expect.objectContaining({ status: 'waiting', position: 2 }),
      ]);
    });

    it('refuses to queue for a free time, and lets a patron leave the queue', async () => {
      const device = await newDevice(t);
      const [a, b] = [await newPatron(t), await newPatron(t)];
      const free = await t.http
        .post('/api/waitlist')
        .set(bearer(a.token))
        .send({
          equipment: device,
          start: local('2026-12-02T10:00'),
          end: local('2026-12-02T11:00'),
        })
        .expect(422);
      expect(free.body.code).toBe('NOT_TAKEN');
      await book(a, device, '2026-12-02T10:00', '2026-12-02T11:00').expect(201);
      const entry = await t.http
        .post('/api/waitlist')
        .set(bearer(b.token))
        .send({
          equipment: device,
          start: local('2026-12-02T10:00'),
          end: local('2026-12-02T11:00'),
        })
        .expect(201);
      await t.http.delete(`/api/waitlist/${entry.body.id}`).set(bearer(a.token)).expect(404);
      await t.http.delete(`/api/waitlist/${entry.body.id}`).set(bearer(b.token)).expect(204);
      await t.http
        .post('/api/waitlist')
        .set(bearer(staff))
        .send({
          equipment: device,
          start: local('2026-12-02T10:00'),
          end: local('2026-12-02T11:00'),
        })
        .expect(403);
    });
  });

  describe('outages', () => {
    it('lists the two bookings an outage hits, tells both patrons and offers each an alternative', async () => {
      const device = await newDevice(t, { category: 'craft' });
      const [a, b] = [await newPatron(t), await newPatron(t)];
      await book(a, device, '2026-12-02T11:00', '2026-12-02T12:00').expect(201);
      await book(b, device, '2026-12-02T14:00', '2026-12-02T15:00').expect(201);
      await book(a, device, '2026-12-02T18:00', '2026-12-02T19:00').expect(201);
      const outage = await t.http
        .post(`/api/equipment/${device}/outages`)
        .set(bearer(staff))
        .send({
          start: local('2026-12-02T10:00'),
          end: local('2026-12-02T16:00'),
          reason: 'Blade housing cracked',
        })
        .expect(201);
      expect(outage.body.collisions.map((c: { start: string }) => c.start)).toEqual([
        '2026-12-02T11:00:00-05:00',
        '2026-12-02T14:00:00-05:00',
      ]);
      expect(outage.body.alternatives).toHaveLength(2);
      for (const alternative of outage.body.alternatives) {
        const hit = outage.body.collisions.find(
          (c: { id: string }) => c.id === alternative.bookingId,
        );
        const sameTimeElsewhere =
          alternative.equipment !== device && alternative.start === hit.start;
        const laterHere =
          alternative.equipment === device && alternative.start >= '2026-12-02T16:00:00-05:00';
        expect(sameTimeElsewhere || laterHere).toBe(true);
      }
      for (const patron of [a, b]) {
        const told = (await mailTo(patron)).filter((m) => m.subject?.includes('out of service'));
        expect(told).toHaveLength(1);
        expect(told[0].text).toContain('Reason: Blade housing cracked');
        expect(told[0].text).toContain('We can offer instead');
      }
      const listed = await t.http
        .get(`/api/equipment/${device}/outages`)
        .set(bearer(staff))
        .expect(200);
      expect(listed.body).toEqual([expect.objectContaining({ reason: 'Blade housing cracked' })]);
    });
  });

  describe('calendars', () => {
    const events = (text: string) => {
      const calendar = new ICAL.Component(ICAL.parse(text));
      return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    };

    it('serves a booking as an iCalendar event at the right instants', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const booking = await book(patron, device, '2026-12-02T15:00', '2026-12-02T16:30').expect(
        201,
      );
      const ics = await t.http.get(booking.body.calendarUrl).set(bearer(patron.token)).expect(200);
      expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
      const [event] = events(ics.text);
      expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-02T20:00:00.000Z');
      expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-02T21:30:00.000Z');
      expect(event.description).toContain(booking.body.code);
      const stranger = await newPatron(t);
      await t.http.get(booking.body.calendarUrl).set(bearer(stranger.token)).expect(404);
    });

    it('gives each patron a secret feed of their bookings that can be renewed', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      await book(patron, device, '2026-12-02T10:00', '2026-12-02T11:00').expect(201);
      const cancelled = await book(patron, device, '2026-12-03T10:00', '2026-12-03T11:00').expect(
        201,
      );
      await t.http
        .post(`/api/bookings/${cancelled.body.id}/cancel`)
        .set(bearer(patron.token))
        .expect(200);
      const feed = await t.http.get('/api/me/calendar-feed').set(bearer(patron.token)).expect(200);
      const path = new URL(feed.body.url).pathname;
      const ics = await t.http.get(path).expect(200);
      const found = events(ics.text);
      expect(found).toHaveLength(2);
      const statuses = found.map((e) => e.component.getFirstPropertyValue('status')).sort();
      expect(statuses).toEqual(['CANCELLED', 'CONFIRMED']);
      const renewed = await t.http
        .post('/api/me/calendar-feed')
        .set(bearer(patron.token))
        .expect(200);
      expect(renewed.body.url).not.toBe(feed.body.url);
      await t.http.get(path).expect(404);
      await t.http.get('/api/calendar/not-a-real-feed-token-at-all.ics').expect(404);
    });
  });
});
