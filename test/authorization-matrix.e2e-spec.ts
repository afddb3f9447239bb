import { createTestApp, TestApp } from './create-test-app';
import {
  bearer,
  local,
  newDevice,
  newPatron,
  signIn,
  TestPatron,
  uniqueCardNumber,
} from './factories';
import { png } from './image-files';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

/**
 * Who may call each operation, as the contract (shared/API.md and the README's extensions) says.
 * `librarian` includes everything `staff` may do. `owner-or-staff`: the patron the booking
 * belongs to, or staff. `feed-token`: whoever holds the secret feed address, signed in or not.
 */
type Access =
  'anyone' | 'signed-in' | 'patron' | 'staff' | 'librarian' | 'owner-or-staff' | 'feed-token';

const ACCESS = {
  'POST /api/auth/register': 'anyone',
  'POST /api/auth/login': 'anyone',
  'POST /api/auth/logout': 'signed-in',
  'GET /api/me': 'signed-in',
  'GET /api/patrons': 'staff',
  'GET /api/patrons/{card}': 'staff',
  'PATCH /api/patrons/{card}': 'staff',
  'GET /api/patrons/{card}/certifications': 'staff',
  'POST /api/patrons/{card}/certifications': 'staff',
  'DELETE /api/patrons/{card}/suspension': 'staff',
  'POST /api/patrons/{card}/pin-reset': 'staff',
  'POST /api/auth/pin-reset': 'anyone',
  'POST /api/auth/pin-reset/confirm': 'anyone',
  'POST /api/auth/verify': 'anyone',
  'POST /api/auth/verify/resend': 'anyone',
  'POST /api/me/pin': 'patron',
  'POST /api/me/password': 'staff',
  'GET /api/staff': 'librarian',
  'POST /api/staff': 'librarian',
  'PATCH /api/staff/{id}': 'librarian',

  'GET /api/areas': 'anyone',
  'GET /api/equipment': 'anyone',
  'GET /api/equipment/{slug}': 'anyone',
  'POST /api/equipment': 'librarian',
  'PATCH /api/equipment/{slug}': 'librarian',
  'DELETE /api/equipment/{slug}': 'librarian',
  'POST /api/equipment/{slug}/outages': 'staff',
  'GET /api/equipment/{slug}/outages': 'staff',
  'GET /api/hours': 'anyone',
  'GET /api/hours/weekly': 'anyone',
  'PUT /api/hours/weekly': 'librarian',
  'GET /api/closures': 'anyone',
  'POST /api/closures': 'librarian',
  'DELETE /api/closures/{date}': 'librarian',

  'GET /api/equipment/{slug}/availability': 'anyone',
  'GET /api/availability': 'anyone',
  'GET /api/schedule': 'anyone',
  // Patrons book for themselves and staff for a patron: every role there is.
  'POST /api/bookings': 'signed-in',
  'GET /api/bookings': 'signed-in',
  'GET /api/bookings/{id}': 'owner-or-staff',
  'PATCH /api/bookings/{id}': 'owner-or-staff',
  'POST /api/bookings/{id}/cancel': 'owner-or-staff',
  'GET /api/bookings/{id}/calendar.ics': 'owner-or-staff',
  'POST /api/bookings/{id}/check-in': 'staff',
  'POST /api/bookings/{id}/complete': 'staff',
  'POST /api/bookings/{id}/approve': 'staff',
  'POST /api/bookings/{id}/deny': 'staff',
  'POST /api/series': 'staff',
  'GET /api/series/{id}': 'staff',
  'POST /api/series/{id}/cancel': 'staff',
  'POST /api/desk/check-in': 'staff',
  'GET /api/me/calendar-feed': 'patron',
  'POST /api/me/calendar-feed': 'patron',
  'GET /api/calendar/{feedToken}.ics': 'feed-token',
  'POST /api/waitlist': 'patron',
  'GET /api/waitlist': 'patron',
  'DELETE /api/waitlist/{id}': 'patron',
  'POST /api/loans/check-out': 'staff',
  'POST /api/loans/{id}/return': 'staff',
  'GET /api/loans/overdue': 'staff',

  'GET /api/manuals': 'anyone',
  'GET /api/manuals/{slug}': 'anyone',
  'GET /api/manuals/{slug}/qr.svg': 'anyone',
  'POST /api/manuals': 'librarian',
  'GET /api/manuals/{slug}/draft': 'librarian',
  'PUT /api/manuals/{slug}/draft': 'librarian',
  'POST /api/manuals/{slug}/publish': 'librarian',
  'GET /api/manuals/{slug}/revisions': 'librarian',
  'GET /api/manuals/{slug}/revisions/{n}': 'librarian',
  'GET /api/manuals/{slug}/diff': 'librarian',
  'POST /api/manuals/{slug}/revisions/{n}/restore': 'librarian',
  'POST /api/manuals/{slug}/send': 'staff',
  'POST /api/manuals/{slug}/progress': 'patron',

  'POST /api/images': 'librarian',
  'GET /api/images/{name}': 'anyone',

  'GET /api/reports/usage': 'staff',
  'GET /api/reports/bookings': 'staff',
  // Not in the contract; who changed what is for the people who keep the lab.
  'GET /api/audit': 'librarian',
  'GET /api/notifications': 'staff',
  'POST /api/notifications/{id}/retry': 'librarian',

  'GET /health': 'anyone',
} as const satisfies Record<string, Access>;

type Route = keyof typeof ACCESS;

const CALLERS = ['anonymous', 'patron', 'other patron', 'staff', 'librarian'] as const;
type Caller = (typeof CALLERS)[number];

type Verdict = 'allowed' | '401' | '403' | '403 or 404';

function verdict(access: Access, caller: Caller): Verdict {
  if (access === 'anyone' || access === 'feed-token') return 'allowed';
  if (caller === 'anonymous') return '401';
  const staffSide = caller === 'staff' || caller === 'librarian';
  switch (access) {
    case 'signed-in':
      return 'allowed';
    case 'patron':
      return staffSide ? '403' : 'allowed';
    case 'staff':
      return staffSide ? 'allowed' : '403';
    case 'librarian':
      return caller === 'librarian' ? 'allowed' : '403';
    case 'owner-or-staff':
      // Hiding another patron's booking behind a 404 is as good as refusing it.
      return caller === 'other patron' ? '403 or 404' : 'allowed';
  }
}

const ROWS = (Object.entries(ACCESS) as [Route, Access][]).flatMap(([route, access]) =>
  CALLERS.map((caller) => [route, caller, verdict(access, caller)] as const),
);

/** What a test sends: the path with its parameters filled in, and the caller's body. */
interface Call {
  path: string;
  body?: object;
  /** Overrides the caller's own session, e.g. a throwaway one to sign out of. */
  token?: string | null;
  /** A file sent as multipart/form-data instead of a JSON body. */
  file?: { field: string; bytes: Buffer; filename: string };
}

describe('Authorization matrix', () => {
  let t: TestApp;
  let librarian: string;
  let staff: string;
  let patron: TestPatron;
  let otherPatron: TestPatron;
  let device: string;
  let booking: { id: string; code: string };
  let waitlisted: { equipment: string; start: string; end: string };
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    librarian = await signIn(t, 'librarian');
    staff = await signIn(t, 'staff');
    patron = await newPatron(t);
    otherPatron = await newPatron(t);
    device = await newDevice(t);
    booking = await book(patron, device, '2026-12-02T15:00', '2026-12-02T16:00');
    // A time someone else holds, for the patrons to queue for.
    const holder = await newPatron(t);
    const busy = await newDevice(t);
    await book(holder, busy, '2026-12-02T15:00', '2026-12-02T16:00');
    waitlisted = {
      equipment: busy,
      start: local('2026-12-02T15:00'),
      end: local('2026-12-02T16:00'),
    };
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t?.close());

  const tokenOf = (caller: Caller): string | null =>
    ({
      anonymous: null,
      patron: patron.token,
      'other patron': otherPatron.token,
      staff,
      librarian,
    })[caller];

  async function book(
    who: TestPatron,
    slug: string,
    start: string,
    end: string,
  ): Promise<{ id: string; code: string }> {
    const response = await t.http
      .post('/api/bookings')
      .set(bearer(who.token))
      .send({ equipment: slug, start: local(start), end: local(end) })
      .expect(201);
    return { id: response.body.id as string, code: response.body.code as string };
  }

  /** A booking of the patron's on a device of its own, so changing it disturbs no other row. */
  const freshBooking = async (start = '2026-12-02T15:00', end = '2026-12-02T16:00') =>
    book(patron, await newDevice(t), start, end);

  /** A booking due now: the lab's first slot today, with the clock moved to its start. */
  const dueBooking = async () => {
    const due = await freshBooking('2026-12-01T10:00', '2026-12-01T10:30');
    t.clock.set(local('2026-12-01T10:00'));
    return due;
  };

  /** A booking of the patron's waiting for approval, on a device that needs it. */
  const pendingBooking = async () =>
    book(
      patron,
      await newDevice(t, { policy: { requiresApproval: true } }),
      '2026-12-02T15:00',
      '2026-12-02T16:00',
    );

  const seriesBody = (slug: string) => ({
    equipment: slug,
    start: local('2026-12-02T15:00'),
    end: local('2026-12-02T16:00'),
    repeat: { every: 'week', count: 2 },
    cardNumber: patron.cardNumber,
  });

  /** A two-week series of the patron's on a device of its own, made by staff. */
  const newSeries = async (): Promise<string> => {
    const response = await t.http
      .post('/api/series')
      .set(bearer(staff))
      .send(seriesBody(await newDevice(t)))
      .expect(201);
    return response.body.id as string;
  };

  /** A loan kit of its own, reserved by the patron for Wednesday 2 December. */
  const loanKit = async () => {
    serial += 1;
    const assetTag = `MX-${process.pid}-${serial}`;
    const slug = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      assetTag,
      parts: ['Camera', 'Lens cap'],
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 2880, maxMinutesPerWeek: 10080 },
    });
    const reservation = await book(patron, slug, '2026-12-02T00:00', '2026-12-03T00:00');
    return { assetTag, reservation };
  };

  const manualBody = (slug: string) => ({
    slug,
    title: 'Matrix walkthrough',
    summary: 'A walkthrough made for one test.',
    difficulty: 'easy',
    estimatedMinutes: [5, 10],
    equipment: [device],
    steps: [{ title: 'Switch it on', body: 'Press the power button.' }],
  });

  const newManual = async (published: boolean): Promise<string> => {
    serial += 1;
    const slug = `matrix-manual-${process.pid}-${serial}`;
    await t.http.post('/api/manuals').set(bearer(librarian)).send(manualBody(slug)).expect(201);
    if (published)
      await t.http.post(`/api/manuals/${slug}/publish`).set(bearer(librarian)).send({}).expect(200);
    return slug;
  };

  const freshSession = async (caller: Caller): Promise<string | null> => {
    const card = (p: TestPatron) => ({ cardNumber: p.cardNumber, pin: p.pin });
    const credentials = {
      anonymous: null,
      patron: card(patron),
      'other patron': card(otherPatron),
      staff: null,
      librarian: null,
    }[caller];
    if (caller === 'staff' || caller === 'librarian') return signIn(t, caller);
    if (!credentials) return null;
    const response = await t.http.post('/api/auth/login').send(credentials).expect(200);
    return response.body.token as string;
  };

  const feedPath = async () => {
    const feed = await t.http.get('/api/me/calendar-feed').set(bearer(patron.token)).expect(200);
    return new URL(feed.body.url as string).pathname;
  };

  /** Realistic inputs per route, so a refusal can only come from who is asking. */
  const ARRANGE: Record<Route, (caller: Caller) => Promise<Call>> = {
    'POST /api/auth/register': () => {
      const cardNumber = uniqueCardNumber();
      return Promise.resolve({
        path: '/api/auth/register',
        body: {
          cardNumber,
          pin: '2468',
          name: 'Matrix Patron',
          email: `m${cardNumber}@example.org`,
          birthDate: '1985-05-05',
        },
      });
    },
    'POST /api/auth/login': () =>
      Promise.resolve({
        path: '/api/auth/login',
        body: { cardNumber: patron.cardNumber, pin: patron.pin },
      }),
    'POST /api/auth/logout': async (caller) => ({
      path: '/api/auth/logout',
      token: await freshSession(caller),
    }),
    'GET /api/me': () => Promise.resolve({ path: '/api/me' }),
    'GET /api/patrons': () =>
      Promise.resolve({ path: `/api/patrons?card=${patron.cardNumber.slice(0, 8)}` }),
    'GET /api/patrons/{card}': () => Promise.resolve({ path: `/api/patrons/${patron.cardNumber}` }),
    'PATCH /api/patrons/{card}': () =>
      Promise.resolve({ path: `/api/patrons/${otherPatron.cardNumber}`, body: { group: 'adult' } }),
    'GET /api/patrons/{card}/certifications': () =>
      Promise.resolve({ path: `/api/patrons/${patron.cardNumber}/certifications` }),
    'POST /api/patrons/{card}/certifications': () =>
      Promise.resolve({
        path: `/api/patrons/${patron.cardNumber}/certifications`,
        body: { equipment: device },
      }),
    'DELETE /api/patrons/{card}/suspension': () =>
      Promise.resolve({ path: `/api/patrons/${otherPatron.cardNumber}/suspension` }),
    'POST /api/patrons/{card}/pin-reset': () =>
      Promise.resolve({ path: `/api/patrons/${patron.cardNumber}/pin-reset` }),
    'POST /api/auth/pin-reset': () =>
      Promise.resolve({ path: '/api/auth/pin-reset', body: { cardNumber: patron.cardNumber } }),
    // A made-up link: a 400 once let in.
    'POST /api/auth/pin-reset/confirm': () =>
      Promise.resolve({
        path: '/api/auth/pin-reset/confirm',
        body: { token: 'x'.repeat(43), pin: '9876' },
      }),
    // A made-up link: a 400 once let in.
    'POST /api/auth/verify': () =>
      Promise.resolve({ path: '/api/auth/verify', body: { token: 'x'.repeat(43) } }),
    'POST /api/auth/verify/resend': () =>
      Promise.resolve({
        path: '/api/auth/verify/resend',
        body: { cardNumber: patron.cardNumber },
      }),
    // A wrong current secret: a 422 once let in, and the secret stays as the other rows need it.
    'POST /api/me/pin': () =>
      Promise.resolve({ path: '/api/me/pin', body: { currentPin: '0000', pin: '7777' } }),
    'POST /api/me/password': () =>
      Promise.resolve({
        path: '/api/me/password',
        body: { currentPassword: 'not the password', password: 'a long enough password' },
      }),
    'GET /api/staff': () => Promise.resolve({ path: '/api/staff' }),
    'POST /api/staff': () => {
      serial += 1;
      return Promise.resolve({
        path: '/api/staff',
        body: {
          email: `matrix${process.pid}-${serial}@library.example`,
          name: 'Matrix',
          role: 'staff',
        },
      });
    },
    'PATCH /api/staff/{id}': async () => {
      serial += 1;
      const created = await t.http
        .post('/api/staff')
        .set(bearer(librarian))
        .send({
          email: `matrix${process.pid}-${serial}@library.example`,
          name: 'Matrix',
          role: 'staff',
        })
        .expect(201);
      return { path: `/api/staff/${created.body.id}`, body: { role: 'librarian' } };
    },

    'GET /api/equipment': () => Promise.resolve({ path: '/api/equipment?category=audio' }),
    'GET /api/equipment/{slug}': () => Promise.resolve({ path: '/api/equipment/podcast-studio' }),
    'POST /api/equipment': () => {
      serial += 1;
      return Promise.resolve({
        path: '/api/equipment',
        body: {
          slug: `matrix-station-${process.pid}-${serial}`,
          name: 'Matrix station',
          category: 'editing',
          kind: 'station',
          location: 'Digital Media Lab, test bench',
        },
      });
    },
    'PATCH /api/equipment/{slug}': async () => ({
      path: `/api/equipment/${await newDevice(t)}`,
      body: { name: 'Renamed station' },
    }),
    'DELETE /api/equipment/{slug}': async () => ({
      path: `/api/equipment/${await newDevice(t)}`,
    }),
    'POST /api/equipment/{slug}/outages': async () => ({
      path: `/api/equipment/${await newDevice(t)}/outages`,
      body: {
        start: local('2026-12-03T10:00'),
        end: local('2026-12-03T12:00'),
        reason: 'Fan replaced',
      },
    }),
    'GET /api/equipment/{slug}/outages': () =>
      Promise.resolve({ path: `/api/equipment/${device}/outages` }),
    'GET /api/hours': () => Promise.resolve({ path: '/api/hours?from=2026-12-01&to=2026-12-07' }),
    'GET /api/hours/weekly': () => Promise.resolve({ path: '/api/hours/weekly' }),
    'GET /api/areas': () => Promise.resolve({ path: '/api/areas' }),
    'PUT /api/hours/weekly': async () => {
      // The week as it is, so a successful write changes nothing other rows rely on.
      const current = await t.http.get('/api/hours/weekly').expect(200);
      return { path: '/api/hours/weekly', body: { intervals: current.body } };
    },
    'GET /api/closures': () => Promise.resolve({ path: '/api/closures' }),
    'POST /api/closures': () => {
      serial += 1;
      return Promise.resolve({
        path: '/api/closures',
        body: { date: closureDate(serial), reason: 'Staff training' },
      });
    },
    'DELETE /api/closures/{date}': async () => {
      serial += 1;
      const date = closureDate(serial);
      await t.http
        .post('/api/closures')
        .set(bearer(librarian))
        .send({ date, reason: 'Staff training' })
        .expect(201);
      return { path: `/api/closures/${date}` };
    },

    'GET /api/equipment/{slug}/availability': () =>
      Promise.resolve({ path: '/api/equipment/podcast-studio/availability?date=2026-12-02' }),
    'GET /api/availability': () =>
      Promise.resolve({
        path: `/api/availability?start=${encodeURIComponent(local('2026-12-02T15:00'))}&end=${encodeURIComponent(local('2026-12-02T16:00'))}`,
      }),
    'GET /api/schedule': () =>
      Promise.resolve({ path: '/api/schedule?date=2026-12-02&category=editing' }),
    'POST /api/bookings': async (caller) => ({
      path: '/api/bookings',
      body: {
        equipment: await newDevice(t),
        start: local('2026-12-02T11:00'),
        end: local('2026-12-02T12:00'),
        ...(caller === 'staff' || caller === 'librarian' ? { cardNumber: patron.cardNumber } : {}),
      },
    }),
    'GET /api/bookings': () => Promise.resolve({ path: '/api/bookings?from=2026-12-01' }),
    'GET /api/bookings/{id}': () => Promise.resolve({ path: `/api/bookings/${booking.id}` }),
    'PATCH /api/bookings/{id}': async () => ({
      path: `/api/bookings/${(await freshBooking()).id}`,
      body: { start: local('2026-12-02T17:00'), end: local('2026-12-02T18:00') },
    }),
    'POST /api/bookings/{id}/cancel': async () => ({
      path: `/api/bookings/${(await freshBooking()).id}/cancel`,
    }),
    'GET /api/bookings/{id}/calendar.ics': () =>
      Promise.resolve({ path: `/api/bookings/${booking.id}/calendar.ics` }),
    'POST /api/bookings/{id}/check-in': async () => ({
      path: `/api/bookings/${(await dueBooking()).id}/check-in`,
    }),
    'POST /api/bookings/{id}/complete': async () => ({
      path: `/api/bookings/${(await freshBooking()).id}/complete`,
      body: { notes: 'All parts returned.' },
    }),
    'POST /api/bookings/{id}/approve': async () => ({
      path: `/api/bookings/${(await pendingBooking()).id}/approve`,
    }),
    'POST /api/bookings/{id}/deny': async () => ({
      path: `/api/bookings/${(await pendingBooking()).id}/deny`,
      body: { reason: 'The studio is closed for a class that day.' },
    }),
    'POST /api/series': async () => ({
      path: '/api/series',
      body: seriesBody(await newDevice(t)),
    }),
    'GET /api/series/{id}': async () => ({ path: `/api/series/${await newSeries()}` }),
    'POST /api/series/{id}/cancel': async () => ({
      path: `/api/series/${await newSeries()}/cancel`,
      body: {},
    }),
    'POST /api/desk/check-in': async () => ({
      path: '/api/desk/check-in',
      body: { code: (await dueBooking()).code },
    }),
    'GET /api/me/calendar-feed': () => Promise.resolve({ path: '/api/me/calendar-feed' }),
    'POST /api/me/calendar-feed': () => Promise.resolve({ path: '/api/me/calendar-feed' }),
    'GET /api/calendar/{feedToken}.ics': async () => ({ path: await feedPath() }),
    'POST /api/waitlist': () => Promise.resolve({ path: '/api/waitlist', body: waitlisted }),
    'GET /api/waitlist': () => Promise.resolve({ path: '/api/waitlist' }),
    'DELETE /api/waitlist/{id}': async () => {
      // The patron's place in a queue of its own, behind the other patron's booking.
      const busy = await newDevice(t);
      await book(otherPatron, busy, '2026-12-02T15:00', '2026-12-02T16:00');
      const entry = await t.http
        .post('/api/waitlist')
        .set(bearer(patron.token))
        .send({ equipment: busy, start: local('2026-12-02T15:00'), end: local('2026-12-02T16:00') })
        .expect(201);
      return { path: `/api/waitlist/${entry.body.id}` };
    },
    'POST /api/loans/check-out': async () => {
      const kit = await loanKit();
      t.clock.set(local('2026-12-02T11:00'));
      return {
        path: '/api/loans/check-out',
        body: { assetTag: kit.assetTag, cardNumber: patron.cardNumber },
      };
    },
    'POST /api/loans/{id}/return': async () => {
      const kit = await loanKit();
      t.clock.set(local('2026-12-02T11:00'));
      await t.http
        .post('/api/loans/check-out')
        .set(bearer(staff))
        .send({ assetTag: kit.assetTag, cardNumber: patron.cardNumber })
        .expect(200);
      return {
        path: `/api/loans/${kit.reservation.id}/return`,
        body: { condition: 'Good', missingParts: ['Lens cap'] },
      };
    },
    'GET /api/loans/overdue': () => Promise.resolve({ path: '/api/loans/overdue' }),

    'GET /api/manuals': () => Promise.resolve({ path: '/api/manuals?q=podcast' }),
    'GET /api/manuals/{slug}': () =>
      Promise.resolve({ path: '/api/manuals/podcast-studio-basics' }),
    'GET /api/manuals/{slug}/qr.svg': () =>
      Promise.resolve({ path: '/api/manuals/podcast-studio-basics/qr.svg' }),
    'POST /api/manuals': () => {
      serial += 1;
      return Promise.resolve({
        path: '/api/manuals',
        body: manualBody(`matrix-new-${process.pid}-${serial}`),
      });
    },
    'GET /api/manuals/{slug}/draft': () =>
      Promise.resolve({ path: '/api/manuals/podcast-studio-basics/draft' }),
    'PUT /api/manuals/{slug}/draft': async () => {
      const slug = await newManual(false);
      const { slug: _slug, ...content } = manualBody(slug);
      return { path: `/api/manuals/${slug}/draft`, body: { ...content, title: 'Retitled' } };
    },
    'POST /api/manuals/{slug}/publish': async () => ({
      path: `/api/manuals/${await newManual(false)}/publish`,
      body: { note: 'First edition.' },
    }),
    'GET /api/manuals/{slug}/revisions': () =>
      Promise.resolve({ path: '/api/manuals/podcast-studio-basics/revisions' }),
    'GET /api/manuals/{slug}/revisions/{n}': () =>
      Promise.resolve({ path: '/api/manuals/podcast-studio-basics/revisions/1' }),
    'GET /api/manuals/{slug}/diff': () =>
      Promise.resolve({ path: '/api/manuals/podcast-studio-basics/diff?from=1&to=1' }),
    'POST /api/manuals/{slug}/revisions/{n}/restore': async () => ({
      path: `/api/manuals/${await newManual(true)}/revisions/1/restore`,
    }),
    'POST /api/manuals/{slug}/send': () =>
      Promise.resolve({
        path: '/api/manuals/podcast-studio-basics/send',
        body: { cardNumber: patron.cardNumber },
      }),
    'POST /api/manuals/{slug}/progress': () =>
      Promise.resolve({ path: '/api/manuals/podcast-studio-basics/progress', body: { step: 1 } }),

    'POST /api/images': () =>
      Promise.resolve({
        path: '/api/images',
        file: { field: 'file', bytes: png(2, 2, 7), filename: 'matrix.png' },
      }),
    'GET /api/images/{name}': async () => {
      const stored = await t.http
        .post('/api/images')
        .set(bearer(librarian))
        .attach('file', png(3, 3, 8), 'matrix.png')
        .expect(201);
      return { path: stored.body.url as string };
    },

    'GET /api/reports/bookings': () =>
      Promise.resolve({ path: '/api/reports/bookings?from=2026-11-01&to=2026-11-30&format=csv' }),
    'GET /api/reports/usage': () =>
      Promise.resolve({ path: '/api/reports/usage?from=2026-11-01&to=2026-11-30&format=csv' }),
    'GET /api/audit': () => Promise.resolve({ path: '/api/audit?limit=20' }),
    'GET /api/notifications': () => Promise.resolve({ path: '/api/notifications?status=pending' }),
    // An unknown message: a 404 once let in.
    'POST /api/notifications/{id}/retry': () =>
      Promise.resolve({ path: '/api/notifications/6f1c2a9e-0000-4000-8000-000000000000/retry' }),

    'GET /health': () => Promise.resolve({ path: '/health' }),
  };

  const documented = async (): Promise<Map<string, { security?: unknown[] }>> => {
    const document = await t.http.get('/api/docs-json').expect(200);
    const paths = document.body.paths as Record<string, Record<string, { security?: unknown[] }>>;
    return new Map(
      Object.entries(paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => [
          `${method.toUpperCase()} ${path}`,
          operation,
        ]),
      ),
    );
  };

  it('classifies every operation of the API document, and only those', async () => {
    const operations = await documented();
    const unclassified = [...operations.keys()].filter((key) => !(key in ACCESS));
    const stale = Object.keys(ACCESS).filter((key) => !operations.has(key));
    expect({ unclassified, stale }).toEqual({ unclassified: [], stale: [] });
  });

  it('documents a bearer session exactly on the operations that need one', async () => {
    const operations = await documented();
    const mismatched = (Object.entries(ACCESS) as [Route, Access][])
      .filter(([route]) => operations.has(route))
      .filter(([route, access]) => {
        const needsSession = access !== 'anyone' && access !== 'feed-token';
        return needsSession !== Boolean(operations.get(route)!.security?.length);
      })
      .map(([route, access]) => `${route} (${access})`);
    expect(mismatched).toEqual([]);
  });

  it.each(ROWS)('%s as %s: %s', async (route, caller, expected) => {
    const [method, template] = route.split(' ') as [string, string];
    const call = await ARRANGE[route](caller);
    expect(call.path.split('?')[0]).toMatch(pathPattern(template));
    const token = call.token === undefined ? tokenOf(caller) : call.token;
    let request = t.http[method.toLowerCase() as 'get'](call.path);
    if (token) request = request.set(bearer(token));
    if (call.file) request = request.attach(call.file.field, call.file.bytes, call.file.filename);
    const response = await (call.body === undefined ? request : request.send(call.body));
    const seen = `${response.status} ${String(response.body?.message ?? '')}`.trim();
    switch (expected) {
      case 'allowed':
        // Incomplete inputs may still earn a 400, 404, 409 or 422; never a refusal or a crash.
        expect(
          [401, 403].includes(response.status) || response.status >= 500 ? seen : 'let in',
        ).toBe('let in');
        break;
      case '401':
      case '403':
        expect(seen).toMatch(new RegExp(`^${expected}\\b`));
        break;
      case '403 or 404':
        expect(seen).toMatch(/^(403|404)\b/);
        break;
    }
  });
});

/** A library-local date no other row closes: a run of days in 2028. */
function closureDate(serial: number): string {
  const day = new Date(Date.UTC(2028, 0, 1) + serial * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** The document's path template as a pattern, to catch a row that calls some other route. */
function pathPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}
