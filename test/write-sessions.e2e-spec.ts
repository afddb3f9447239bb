import { Client } from 'pg';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import {
  bearer,
  local,
  newDevice,
  newPatron,
  signIn,
  TestPatron,
  writeFromElsewhere,
} from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';
const ENDED = 'Your session has ended. Please sign in again.';

/**
 * A change written to the test app's PostgreSQL database with triggers off, so that no
 * announcement of it reaches the app: what an instance holds lags the database, as it does for the
 * moment an announcement from another instance takes to arrive.
 */
async function writeUnannounced(t: TestApp, sql: string, ...values: unknown[]): Promise<void> {
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query("SET session_replication_role = 'replica'");
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

describe('A booking confirms the session it was let in on', () => {
  let t: TestApp;
  let device: string;
  let patron: TestPatron;
  let hour = 10;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    device = await newDevice(t);
  });
  beforeEach(async () => {
    t.clock.set(NOW);
    patron = await newPatron(t);
    // A look at their profile: the session is now held in memory.
    await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
  });
  afterAll(() => t.close());

  const book = (token: string, extra: Record<string, string> = {}) => {
    hour += 1;
    return t.http
      .post('/api/bookings')
      .set(bearer(token))
      .send({
        equipment: device,
        start: local(`2026-12-0${2 + Math.floor(hour / 8)}T${10 + (hour % 8)}:00`),
        end: local(`2026-12-0${2 + Math.floor(hour / 8)}T${10 + (hour % 8)}:30`),
        ...extra,
      });
  };

  async function bookingsOf(patronId: string): Promise<number> {
    const response = await t.http
      .get(`/api/bookings`)
      .set(bearer(await signIn(t, 'staff')))
      .query({ equipment: device, limit: 100 })
      .expect(200);
    return (response.body as { patron?: { id: string } }[]).filter((b) => b.patron?.id === patronId)
      .length;
  }

  it('books on a live session held in memory', async () => {
    const response = await book(patron.token).expect(201);
    expect(response.body.status).toBe('confirmed');
  });

  (ON_POSTGRES ? describe : describe.skip)('when no announcement of a change has arrived', () => {
    it('refuses a booking on a revoked session and writes nothing', async () => {
      await writeUnannounced(
        t,
        'UPDATE sessions SET revoked_at = now() WHERE user_id = $1',
        patron.id,
      );
      // Reads are still let in on what is held: the change has not been heard of.
      await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
      const refused = await book(patron.token).expect(401);
      expect(refused.body.message).toBe(ENDED);
      expect(await bookingsOf(patron.id)).toBe(0);
    });

    it('refuses a booking for an account that has been disabled', async () => {
      await writeUnannounced(t, 'UPDATE users SET disabled_at = now() WHERE id = $1', patron.id);
      await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
      const refused = await book(patron.token).expect(401);
      expect(refused.body.message).toBe(ENDED);
      expect(await bookingsOf(patron.id)).toBe(0);
    });

    it('judges the patron as their account stands, not as it is held', async () => {
      await writeUnannounced(
        t,
        "UPDATE users SET suspended_until = now() + interval '7 days' WHERE id = $1",
        patron.id,
      );
      const refused = await book(patron.token).expect(422);
      expect(refused.body.code).toBe('ACCOUNT_SUSPENDED');
      expect(await bookingsOf(patron.id)).toBe(0);
    });

    it('refuses a desk booking by staff whose role has been taken away', async () => {
      const desk = await signIn(t, 'staff');
      const me = await t.http.get('/api/me').set(bearer(desk)).expect(200);
      const staffId = me.body.id as string;
      await writeUnannounced(t, "UPDATE users SET role = 'patron' WHERE id = $1", staffId);
      try {
        const refused = await book(desk, { cardNumber: patron.cardNumber }).expect(403);
        expect(refused.body.message).toBe('Your role has changed. Please sign in again.');
      } finally {
        await writeUnannounced(t, "UPDATE users SET role = 'staff' WHERE id = $1", staffId);
      }
      expect(await bookingsOf(patron.id)).toBe(0);
    });
  });

  (ON_POSTGRES ? it.skip : it)(
    'refuses a booking on a session revoked by another connection to the SQLite file',
    async () => {
      writeFromElsewhere(
        t,
        'UPDATE sessions SET revoked_at = ? WHERE user_id = ?',
        Date.parse(NOW),
        patron.id,
      );
      const refused = await book(patron.token).expect(401);
      expect(refused.body.message).toBe(ENDED);
      expect(await bookingsOf(patron.id)).toBe(0);
    },
  );
});
