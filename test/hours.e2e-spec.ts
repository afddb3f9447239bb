import { createTestApp, TestApp } from './create-test-app';
import { bearer, signIn } from './factories';

describe('Opening hours and closures', () => {
  let t: TestApp;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp();
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  it('gives one entry per local date, with the seeded holiday closed', async () => {
    const response = await t.http
      .get('/api/hours')
      .query({ from: '2026-12-21', to: '2026-12-27' })
      .expect(200);
    expect(response.body.map((d: { date: string }) => d.date)).toEqual([
      '2026-12-21',
      '2026-12-22',
      '2026-12-23',
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
      '2026-12-27',
    ]);
    const monday = response.body[0];
    expect(monday).toMatchObject({
      weekday: 1,
      isOpen: true,
      hours: [{ opens: '10:00', closes: '20:00' }],
      closure: null,
    });
    expect(monday.open).toEqual([
      { start: '2026-12-21T10:00:00-05:00', end: '2026-12-21T20:00:00-05:00' },
    ]);
    expect(response.body[4]).toMatchObject({
      date: '2026-12-25',
      isOpen: false,
      open: [],
      closure: 'Christmas Day',
    });
  });

  it('gives local hours with the right offset on both sides of a DST change', async () => {
    const response = await t.http
      .get('/api/hours')
      .query({ from: '2027-03-13', to: '2027-03-15' })
      .expect(200);
    const [saturday, sunday, monday] = response.body;
    expect(saturday.open[0].start).toBe('2027-03-13T10:00:00-05:00');
    expect(sunday.open[0]).toEqual({
      start: '2027-03-14T13:00:00-04:00',
      end: '2027-03-14T17:00:00-04:00',
    });
    expect(new Date(sunday.open[0].start).toISOString()).toBe('2027-03-14T17:00:00.000Z');
    expect(monday.open[0].start).toBe('2027-03-15T10:00:00-04:00');
    const fall = await t.http
      .get('/api/hours')
      .query({ from: '2027-11-07', to: '2027-11-07' })
      .expect(200);
    expect(new Date(fall.body[0].open[0].start).toISOString()).toBe('2027-11-07T18:00:00.000Z');
  });

  it.each([
    [{ from: '2026-13-01', to: '2026-12-31' }, /from must be a date/],
    [{ from: '2026-12-10', to: '2026-12-01' }, /from must not be after to/],
    [{ from: '2026-01-01', to: '2028-01-01' }, /at most 366 days/],
    [{ to: '2026-12-01' }, /from/],
  ])('rejects the range %p with 400', async (query, message) => {
    const response = await t.http.get('/api/hours').query(query).expect(400);
    expect(response.body.message).toMatch(message);
  });

  it('lets a librarian set the week and add and remove a closure', async () => {
    const week = [
      { weekday: 1, opens: '09:00', closes: '12:00' },
      { weekday: 1, opens: '13:00', closes: '21:00' },
      { weekday: 6, opens: '10:00', closes: '16:00' },
    ];
    const saved = await t.http
      .put('/api/hours/weekly')
      .set(bearer(librarian))
      .send({ intervals: week })
      .expect(200);
    expect(saved.body).toEqual({ weekly: week, displaced: [] });
    const monday = await t.http
      .get('/api/hours')
      .query({ from: '2027-02-01', to: '2027-02-02' })
      .expect(200);
    expect(monday.body[0].hours).toEqual([
      { opens: '09:00', closes: '12:00' },
      { opens: '13:00', closes: '21:00' },
    ]);
    expect(monday.body[1]).toMatchObject({ isOpen: false, closure: null });

    await t.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2027-02-01', reason: 'Staff training' })
      .expect(201);
    await t.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2027-02-01', reason: 'Again' })
      .expect(409);
    const closed = await t.http
      .get('/api/hours')
      .query({ from: '2027-02-01', to: '2027-02-01' })
      .expect(200);
    expect(closed.body[0]).toMatchObject({ isOpen: false, closure: 'Staff training' });
    await t.http.delete('/api/closures/2027-02-01').set(bearer(librarian)).expect(204);
    await t.http.delete('/api/closures/2027-02-01').set(bearer(librarian)).expect(404);
    await t.http.delete('/api/closures/yesterday').set(bearer(librarian)).expect(400);
  });

  it.each([
    [[{ weekday: 8, opens: '09:00', closes: '17:00' }], /weekday/],
    [[{ weekday: 1, opens: '9am', closes: '17:00' }], /opens must be a time/],
    [[{ weekday: 1, opens: '17:00', closes: '09:00' }], /closes must be later than opens/],
    [
      [
        { weekday: 2, opens: '09:00', closes: '13:00' },
        { weekday: 2, opens: '12:00', closes: '18:00' },
      ],
      /overlap on weekday 2/,
    ],
  ])('refuses the week %j, naming what is wrong', async (intervals, message) => {
    const response = await t.http
      .put('/api/hours/weekly')
      .set(bearer(librarian))
      .send({ intervals })
      .expect(400);
    expect(response.body.message).toMatch(message);
  });

  it('keeps hours changes to librarians', async () => {
    const staff = await signIn(t, 'staff');
    await t.http.put('/api/hours/weekly').send({ intervals: [] }).expect(401);
    await t.http.put('/api/hours/weekly').set(bearer(staff)).send({ intervals: [] }).expect(403);
    await t.http
      .post('/api/closures')
      .set(bearer(staff))
      .send({ date: '2027-02-02', reason: 'x' })
      .expect(403);
  });
});
