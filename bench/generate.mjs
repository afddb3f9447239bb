// Loads a booking history straight into the database while the service is stopped: patrons,
// past and upcoming bookings over the seeded catalog (never two live ones of a device at once),
// and the signed-in patrons and free slots that the booking scenario will use.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';

/** How far ahead the bench lets patrons book, so the booking run has enough distinct free slots. */
export const BENCH_ADVANCE_DAYS = 400;
/** Upcoming history covers the normal booking horizon; the booking run books after it. */
const UPCOMING_DAYS = 14;
const FIRST_BOOKABLE_DAY = UPCOMING_DAYS + 1;
/** The area every seeded device belongs to unless it says otherwise. */
const MAIN_AREA = 'dml';
const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

/**
 * @param db       an open bench/database.mjs connection
 * @param options  `bookings`: history size; `slots`: free slots to prepare for the booking run;
 *                 `race`: how many more free `slots` to prepare for the race and how many
 *                 signed-in `racers` to ask for them, each once;
 *                 `now`: epoch ms; `zone`: the library's time zone; `pinHash`: a hashed PIN for
 *                 every generated patron.
 */
export async function generate(
  db,
  { bookings, slots, race = { slots: 0, racers: 0 }, now, zone, pinHash },
) {
  const random = mulberry32(20261129);
  const catalog = await readCatalog(db);
  const calendar = await openingCalendar(db, zone);
  const today = DateTime.fromMillis(now, { zone }).startOf('day');

  await allowBookingFarAhead(db, catalog.categories);

  const historyPatrons = makePatrons('27', Math.max(20, Math.ceil(bookings / 100)), now, pinHash);
  await insertUsers(db, historyPatrons);
  const upcoming = Math.floor(bookings / 2);
  const rows = historyRows({
    catalog,
    calendar,
    today,
    now,
    random,
    patrons: historyPatrons,
    upcoming,
    total: bookings,
  });
  await db.insertMany('bookings', BOOKING_COLUMNS, rows);

  const free = bookableSlots(
    catalog,
    calendar,
    today.plus({ days: FIRST_BOOKABLE_DAY }),
    slots + race.slots,
  );
  // The race's slots come last, after every slot the booking run may take.
  const raceSlots = free.slots.splice(slots).map(({ patron: _, ...slot }) => slot);
  const bookers = makePatrons('28', free.patronsNeeded, now, pinHash);
  const racers = makePatrons('29', race.racers, now, pinHash);
  await insertUsers(db, [...bookers, ...racers]);
  const tokens = await signIn(db, [...bookers, ...racers], now);
  await certify(db, [...bookers, ...racers], catalog.stations, now);
  return {
    historyCount: rows.count,
    bookers: bookers.length,
    slots: free.slots.map((s) => ({ ...s, token: tokens[s.patron] })),
    race: { slots: raceSlots, tokens: tokens.slice(bookers.length) },
    upcomingDays: calendar.between(today.plus({ days: 1 }), UPCOMING_DAYS),
    stations: catalog.stations.map((d) => d.slug),
  };
}

async function readCatalog(db) {
  const categories = await db.all('SELECT slug, policy FROM equipment_categories');
  const policies = new Map(categories.map((c) => [c.slug, JSON.parse(c.policy)]));
  const devices = (
    await db.all(
      `SELECT id, slug, kind, category_slug, area_slug, requires_orientation, policy_overrides
       FROM equipment WHERE status = 'available' ORDER BY slug`,
    )
  ).map((d) => ({
    id: d.id,
    slug: d.slug,
    kind: d.kind,
    area: d.area_slug,
    requiresOrientation: Boolean(d.requires_orientation),
    policy: { ...policies.get(d.category_slug), ...JSON.parse(d.policy_overrides ?? '{}') },
  }));
  const stations = devices.filter((d) => d.kind === 'station');
  return {
    categories,
    stations,
    // The booking run's patrons are adults: it books the main lab's stations only (the Teen
    // Room's are for 12 to 18).
    bookable: stations.filter((d) => d.area === MAIN_AREA),
    loans: devices.filter((d) => d.kind === 'loan'),
  };
}

async function allowBookingFarAhead(db, categories) {
  for (const category of categories) {
    const policy = { ...JSON.parse(category.policy), maxAdvanceDays: BENCH_ADVANCE_DAYS };
    await db.run('UPDATE equipment_categories SET policy = ? WHERE slug = ?', [
      JSON.stringify(policy),
      category.slug,
    ]);
  }
}

/**
 * Opening hours per local date and area, as epoch-ms intervals (DST days come out 23 or 25
 * hours). A closure with an empty area closes every area.
 */
async function openingCalendar(db, zone) {
  const weekly = new Map();
  for (const row of await db.all('SELECT weekday, opens, closes, area_slug FROM weekly_hours')) {
    const key = `${row.area_slug} ${row.weekday}`;
    weekly.set(key, [...(weekly.get(key) ?? []), row]);
  }
  const closed = new Set(
    (await db.all('SELECT date, area_slug FROM closures')).map((r) => `${r.area_slug} ${r.date}`),
  );
  const open = (day, area = MAIN_AREA) => {
    const date = day.toISODate();
    if (closed.has(` ${date}`) || closed.has(`${area} ${date}`)) return [];
    return (weekly.get(`${area} ${day.weekday}`) ?? []).map((h) => ({
      start: DateTime.fromISO(`${date}T${h.opens}`, { zone }).toMillis(),
      end: DateTime.fromISO(`${date}T${h.closes}`, { zone }).toMillis(),
    }));
  };
  return {
    open,
    between: (first, count) =>
      Array.from({ length: count }, (_, i) => first.plus({ days: i })).map((day) => ({
        date: day.toISODate(),
        open: open(day),
      })),
  };
}

const BOOKING_COLUMNS = [
  'id',
  'code',
  'equipment_id',
  'patron_id',
  'created_by_id',
  'start_at',
  'end_at',
  'blocked_until',
  'status',
  'sequence',
  'created_at',
  'updated_at',
  'checked_in_at',
  'completed_at',
  'cancelled_at',
  'no_show_at',
  'reminder_sent_at',
];

/**
 * Upcoming bookings first (from tomorrow, across the booking horizon), then the past, walking
 * back from yesterday until `total` is reached. Each device's bookings are laid end to end on
 * its slot grid, buffer included, so no two ever overlap.
 */
function historyRows({ catalog, calendar, today, now, random, patrons, upcoming, total }) {
  const result = {
    count: 0,
    *[Symbol.iterator]() {
      let serial = 0;
      const row = (device, start, end, past) => {
        const patron = patrons[serial % patrons.length].id;
        const blocked = end + device.policy.bufferMinutes * 60_000;
        const created = start - (1 + Math.floor(random() * 10)) * 86_400_000;
        const roll = random();
        const status = past
          ? roll < 0.08
            ? 'cancelled'
            : roll < 0.13
              ? 'no_show'
              : 'completed'
          : roll < 0.1
            ? 'cancelled'
            : 'confirmed';
        serial += 1;
        return [
          randomUUID(),
          code(serial),
          device.id,
          patron,
          patron,
          start,
          end,
          blocked,
          status,
          0,
          created,
          Math.min(now, end),
          status === 'completed' ? start : null,
          status === 'completed' ? end : null,
          status === 'cancelled' ? created + 3_600_000 : null,
          status === 'no_show' ? start + 15 * 60_000 : null,
          // Reminders go out a day ahead; those already due count as sent, as in a running lab
          // (otherwise the first sweep would send a day's worth at once in the middle of a run).
          start - 86_400_000 <= now ? start - 86_400_000 : null,
        ];
      };
      const take = function* (limit, days, past) {
        const loanCursor = new Map();
        for (const day of days) {
          for (const [start, end, device] of dayBookings(
            catalog,
            calendar,
            day,
            random,
            loanCursor,
            past,
          )) {
            if (serial >= limit) return;
            yield row(device, start, end, past);
          }
        }
      };
      const forward = function* () {
        for (let i = 1; i <= UPCOMING_DAYS; i++) yield today.plus({ days: i });
      };
      const backward = function* () {
        for (let i = 1; ; i++) yield today.minus({ days: i });
      };
      yield* take(upcoming, forward(), false);
      yield* take(total, backward(), true);
      this.count = serial;
    },
  };
  return result;
}

/** One local day's bookings of every device, about 60% of each station's time taken. */
function* dayBookings(catalog, calendar, day, random, loanCursor, past) {
  for (const device of catalog.stations) {
    const open = calendar.open(day, device.area);
    const { slotMinutes, minMinutes, maxMinutes, bufferMinutes } = device.policy;
    const slot = slotMinutes * 60_000;
    for (const hours of open) {
      let at = hours.start;
      while (at + minMinutes * 60_000 <= hours.end) {
        if (random() < 0.4) {
          at += slot;
          continue;
        }
        const steps = (maxMinutes - minMinutes) / slotMinutes;
        const length = minMinutes * 60_000 + Math.floor(random() * Math.min(steps, 3) + 0.5) * slot;
        const end = Math.min(at + length, hours.end);
        if (end - at < minMinutes * 60_000) break;
        yield [at, end, device];
        at += Math.ceil((end - at + bufferMinutes * 60_000) / slot) * slot;
      }
    }
  }
  // Kits go out for one to seven whole days, one loan after another; going back in time, a loan
  // is placed when the walk reaches the day the previous one started.
  for (const device of catalog.loans) {
    const cursor = loanCursor.get(device.id);
    const dayStart = day.toMillis();
    if (cursor !== undefined && (past ? dayStart >= cursor : dayStart < cursor)) continue;
    const days = 1 + Math.floor(random() * Math.min(7, device.policy.maxMinutes / 1440));
    if (past) {
      const start = day.minus({ days: days - 1 }).toMillis();
      loanCursor.set(device.id, start);
      if (random() < 0.7) yield [start, day.plus({ days: 1 }).toMillis(), device];
    } else {
      const end = day.plus({ days }).toMillis();
      loanCursor.set(device.id, end);
      if (random() < 0.7) yield [dayStart, end, device];
    }
  }
}

/**
 * Free slots for the booking run, from `first` onwards: each station's shortest booking laid
 * end to end (buffer included), interleaved across stations. The n-th slot of a device goes to
 * the n-th patron, so no patron holds more than one booking of a device: within every quota.
 */
function bookableSlots(catalog, calendar, first, wanted) {
  const slots = [];
  const perDevice = new Map();
  for (let day = first; slots.length < wanted; day = day.plus({ days: 1 })) {
    const lanes = catalog.bookable.map((device) => {
      const { slotMinutes, minMinutes, bufferMinutes } = device.policy;
      const step = Math.ceil((minMinutes + bufferMinutes) / slotMinutes) * slotMinutes * 60_000;
      const times = [];
      for (const hours of calendar.open(day, device.area)) {
        for (let at = hours.start; at + minMinutes * 60_000 <= hours.end; at += step)
          times.push([at, at + minMinutes * 60_000]);
      }
      return { device, times };
    });
    for (let i = 0; lanes.some((l) => i < l.times.length) && slots.length < wanted; i++) {
      for (const { device, times } of lanes) {
        if (i >= times.length || slots.length >= wanted) continue;
        const patron = perDevice.get(device.slug) ?? 0;
        perDevice.set(device.slug, patron + 1);
        slots.push({
          equipment: device.slug,
          start: new Date(times[i][0]).toISOString(),
          end: new Date(times[i][1]).toISOString(),
          patron,
        });
      }
    }
  }
  return { slots, patronsNeeded: Math.max(1, ...perDevice.values()) };
}

function makePatrons(prefix, count, now, pinHash) {
  return Array.from({ length: count }, (_, i) => {
    const card = `${prefix}${String(i).padStart(12, '0')}`;
    return {
      id: randomUUID(),
      card,
      name: `Bench patron ${card}`,
      email: `p${card}@example.org`,
      now,
      pinHash,
    };
  });
}

async function insertUsers(db, patrons) {
  await db.insertMany(
    'users',
    [
      'id',
      'role',
      'name',
      'email',
      'card_number',
      'birth_date',
      'secret_hash',
      'failed_sign_ins',
      'created_at',
      // Verified, as the desk leaves a patron who showed a card: unverified ones may not book.
      'verified_at',
    ],
    patrons.map((p) => [
      p.id,
      'patron',
      p.name,
      p.email,
      p.card,
      '1990-01-01',
      p.pinHash,
      0,
      p.now,
      p.now,
    ]),
  );
}

/** A live session per patron, as a sign-in would leave it; returns the bearer tokens. */
async function signIn(db, patrons, now) {
  const tokens = patrons.map(() => randomBytes(32).toString('base64url'));
  await db.insertMany(
    'sessions',
    ['id', 'token_hash', 'user_id', 'created_at', 'expires_at'],
    patrons.map((p, i) => [
      randomUUID(),
      createHash('sha256').update(tokens[i]).digest('hex'),
      p.id,
      now,
      now + 12 * 3_600_000,
    ]),
  );
  return tokens;
}

/** Orientation for every station that needs one, as the desk would grant it. */
async function certify(db, patrons, stations, now) {
  const needing = stations.filter((d) => d.requiresOrientation);
  await db.insertMany(
    'certifications',
    ['id', 'patron_id', 'equipment_id', 'granted_at'],
    patrons.flatMap((p) => needing.map((d) => [randomUUID(), p.id, d.id, now])),
  );
}

/** Seven characters, so never equal to the service's own six-character codes. */
function code(serial) {
  let text = '';
  for (let n = serial, i = 0; i < 7; i++, n = Math.floor(n / CODE_ALPHABET.length))
    text += CODE_ALPHABET[n % CODE_ALPHABET.length];
  return text;
}

/** A small seeded random generator, so every run loads the same history. */
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
