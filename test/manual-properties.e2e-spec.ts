import fc from 'fast-check';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './create-test-app';
import { answerOf, outcomeOf, propertyOptions, send } from './model-runs';
import { bearer, flashOf, formFields, local, newDevice, newPatron, signIn } from './factories';

/*
 * Random sequences of what happens outside the booking model, checked against a model after every
 * step: a patron walking through a walkthrough that certifies (steps one at a time, its
 * prerequisite finished or not), librarians saving and publishing one walkthrough at the same
 * time, and a booking sent twice with one key, as a double click or a retry does.
 */

// Tuesday 1 December 2026, 10:00 in the library (America/New_York); open 10:00–20:00.
const NOW = '2026-12-01T15:00:00Z';
const RUNS = 8;

const manualContent = (
  title: string,
  steps: number,
  extra: { equipment?: string[]; prerequisites?: string[]; grantsCertification?: boolean } = {},
) => ({
  title,
  summary: `Summary of ${title}.`,
  difficulty: 'easy',
  estimatedMinutes: [10, 20],
  equipment: extra.equipment ?? [],
  bring: [],
  prerequisites: extra.prerequisites ?? [],
  grantsCertification: extra.grantsCertification ?? false,
  introduction: `Introduction to ${title}.`,
  steps: Array.from({ length: steps }, (_, i) => ({
    title: `${title}, step ${i + 1}`,
    body: `Do part ${i + 1} of ${title}.`,
  })),
  conclusion: `End of ${title}.`,
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let serial = 0;
const nextSlug = (what: string) => {
  serial += 1;
  return `${what}-${process.pid}-${serial}`;
};

/** Every order of a few things: which of them the app may have applied first. */
function orders<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('Walkthroughs and booking forms under random sequences', () => {
  let t: TestApp;
  let librarian: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({
      now: NOW,
      env: { API_RATE_PER_MINUTE: '10000000', AUTH_RATE_PER_15_MINUTES: '10000000' },
    });
    librarian = await signIn(t, 'librarian');
    staff = await signIn(t, 'staff');
  });
  afterAll(() => t.close());

  const createManual = async (slug: string, content: ReturnType<typeof manualContent>) => {
    await t.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({ slug, ...content })
      .expect(201);
  };
  const publish = (slug: string) =>
    t.http.post(`/api/manuals/${slug}/publish`).set(bearer(librarian)).send({});

  describe('a patron going through a walkthrough that certifies', () => {
    const PREREQUISITE_STEPS = 2;
    const STEPS = 4;
    let prerequisite: string;
    let certifying: string;
    let device: string;

    beforeAll(async () => {
      device = await newDevice(t, { requiresOrientation: true });
      prerequisite = nextSlug('basics');
      certifying = nextSlug('studio');
      await createManual(prerequisite, manualContent('Basics', PREREQUISITE_STEPS));
      await publish(prerequisite).expect(200);
      await createManual(
        certifying,
        manualContent('Studio', STEPS, {
          equipment: [device],
          prerequisites: [prerequisite],
          grantsCertification: true,
        }),
      );
      await publish(certifying).expect(200);
    });

    type Walk = { manual: 0 | 1; step: number };
    /** Mostly the next step or one done already, sometimes one ahead or past the last. */
    const walk: fc.Arbitrary<Walk> = fc.oneof(
      fc.record({
        manual: fc.constant(0 as const),
        step: fc.integer({ min: 1, max: PREREQUISITE_STEPS + 1 }),
      }),
      {
        weight: 3,
        arbitrary: fc.record({
          manual: fc.constant(1 as const),
          step: fc.integer({ min: 1, max: STEPS + 1 }),
        }),
      },
    );

    it('records steps one at a time and certifies only after the prerequisite', async () => {
      // The prerequisite left undone, the last step is refused; then done, it certifies.
      const example: Walk[] = [
        { manual: 1, step: 1 },
        { manual: 1, step: 3 },
        { manual: 1, step: 2 },
        { manual: 1, step: 3 },
        { manual: 1, step: 4 },
        { manual: 0, step: 2 },
        { manual: 0, step: 1 },
        { manual: 0, step: 2 },
        { manual: 1, step: 4 },
        { manual: 1, step: 4 },
      ];
      await fc.assert(
        fc.asyncProperty(fc.array(walk, { minLength: 1, maxLength: 12 }), async (walks) => {
          const patron = await newPatron(t);
          const counts = [PREREQUISITE_STEPS, STEPS];
          const slugs = [prerequisite, certifying];
          const reached = [0, 0];
          let certified = false;
          const log: string[] = [];
          try {
            for (const w of walks) {
              const steps = counts[w.manual];
              const finished = reached[w.manual] === steps;
              const expected =
                w.step > steps
                  ? { status: 400, code: null }
                  : w.step > reached[w.manual] + 1
                    ? { status: 422, code: 'STEPS_SKIPPED' }
                    : w.manual === 1 && w.step === steps && !finished && reached[0] < counts[0]
                      ? { status: 422, code: 'PREREQUISITE_REQUIRED' }
                      : { status: 200, code: null };
              const response = await send(
                'POST /api/manuals/:slug/progress',
                t.http
                  .post(`/api/manuals/${slugs[w.manual]}/progress`)
                  .set(bearer(patron.token))
                  .send({ step: w.step }),
              );
              log.push(
                `${w.manual ? 'studio' : 'basics'} step ${w.step} (reached ${reached[w.manual]}): ${answerOf(response)}`,
              );
              expect(outcomeOf(response)).toEqual(expected);
              if (response.status === 200) {
                reached[w.manual] = Math.max(reached[w.manual], w.step);
                const certifiesNow = w.manual === 1 && reached[1] === steps && !finished;
                expect(response.body).toEqual({
                  step: reached[w.manual],
                  steps,
                  completed: reached[w.manual] === steps,
                  certified: certifiesNow ? [device] : [],
                });
                certified ||= certifiesNow;
              }
              const me = await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
              const held = (me.body.certifications as { equipment: string }[]).map(
                (c) => c.equipment,
              );
              expect(held).toEqual(certified ? [device] : []);
            }
          } catch (error) {
            if (error instanceof Error) error.message += `\n\nSteps:\n${log.join('\n')}`;
            throw error;
          }
        }),
        propertyOptions(RUNS, example),
      );
    });
  });

  describe('librarians saving and publishing one walkthrough at once', () => {
    type Op = { kind: 'save'; text: string } | { kind: 'publish' };
    /** What the walkthrough holds: its draft, if any, and each revision's title, oldest first. */
    interface Held {
      draft: string | null;
      revisions: string[];
    }

    /** Applies the batch in one order: each answer, and what is held after. */
    function serially(held: Held, batch: Op[]): { answers: number[]; held: Held } {
      let { draft } = held;
      const revisions = [...held.revisions];
      const answers = batch.map((op) => {
        if (op.kind === 'save') {
          draft = op.text;
          return 200;
        }
        if (draft === null) return 409;
        revisions.push(draft);
        draft = null;
        return 200;
      });
      return { answers, held: { draft, revisions } };
    }

    async function heldBy(slug: string): Promise<Held> {
      const history = (
        await t.http.get(`/api/manuals/${slug}/revisions`).set(bearer(librarian)).expect(200)
      ).body as { number: number }[];
      const numbers = history.map((r) => r.number).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      const revisions: string[] = [];
      for (const n of numbers) {
        const revision = await t.http
          .get(`/api/manuals/${slug}/revisions/${n}`)
          .set(bearer(librarian))
          .expect(200);
        revisions.push(revision.body.content.title as string);
      }
      const working = await t.http
        .get(`/api/manuals/${slug}/draft`)
        .set(bearer(librarian))
        .expect(200);
      return {
        draft: working.body.isDraft ? (working.body.content.title as string) : null,
        revisions,
      };
    }

    const batch: fc.Arbitrary<('save' | 'publish')[]> = fc.array(
      fc.constantFrom<'save' | 'publish'>('save', 'save', 'publish', 'publish', 'publish'),
      { minLength: 1, maxLength: 4 },
    );

    it('publishes each draft once and never loses a saved one', async () => {
      const example = [
        { kinds: ['save', 'publish'], staggerMs: 0 },
        { kinds: ['publish', 'save'], staggerMs: 2 },
        { kinds: ['publish', 'publish', 'publish'], staggerMs: 0 },
        { kinds: ['save', 'publish', 'publish', 'save'], staggerMs: 5 },
      ] as { kinds: ('save' | 'publish')[]; staggerMs: number }[];
      // Each request of a batch a few milliseconds after the one before, or all at once: the
      // order in which they reach the database varies.
      const staggered = fc.record({ kinds: batch, staggerMs: fc.constantFrom(0, 1, 2, 5, 10) });
      await fc.assert(
        fc.asyncProperty(fc.array(staggered, { minLength: 1, maxLength: 6 }), async (batches) => {
          const slug = nextSlug('race');
          await createManual(slug, manualContent('Edition 0', 2));
          let held: Held = { draft: 'Edition 0', revisions: [] };
          let edition = 0;
          const log: string[] = [];
          try {
            for (const { kinds, staggerMs } of batches) {
              const ops: Op[] = kinds.map((kind) => {
                if (kind === 'publish') return { kind };
                edition += 1;
                return { kind, text: `Edition ${edition}` };
              });
              // Together, as several librarians' browsers would send them.
              const answers: Response[] = await Promise.all(
                ops.map(async (op, i) => {
                  await pause(i * staggerMs);
                  return send(
                    op.kind === 'save'
                      ? 'PUT /api/manuals/:slug/draft'
                      : 'POST /api/manuals/:slug/publish',
                    op.kind === 'save'
                      ? t.http
                          .put(`/api/manuals/${slug}/draft`)
                          .set(bearer(librarian))
                          .send(manualContent(op.text, 2))
                      : publish(slug),
                  );
                }),
              );
              const statuses = answers.map((a) => a.status);
              const after = await heldBy(slug);
              log.push(
                `${staggerMs} ms apart: ${ops.map((op) => (op.kind === 'save' ? `save "${op.text}"` : 'publish')).join(' | ')}: ${statuses.join(' ')}; revisions ${after.revisions.join(', ')}; draft ${after.draft ?? 'none'}`,
              );
              // Some order of the batch, applied one at a time, gives these very answers and
              // leaves exactly this: a revision per publish that succeeded, each holding the draft
              // current when it was published, and no saved text lost.
              const explained = orders(ops.map((op, i) => ({ op, i }))).some((order) => {
                const outcome = serially(
                  held,
                  order.map((o) => o.op),
                );
                const answered = order.every((o, k) => outcome.answers[k] === statuses[o.i]);
                return (
                  answered &&
                  outcome.held.draft === after.draft &&
                  outcome.held.revisions.join('\n') === after.revisions.join('\n')
                );
              });
              expect({ explained, statuses, after }).toEqual({
                explained: true,
                statuses,
                after,
              });
              // Each successful publish answers with a revision of this batch (a later publish of
              // the batch may have come in before the answer was read).
              const named = answers
                .filter((a, i) => ops[i].kind === 'publish' && a.status === 200)
                .map((a) => a.body.revision as number);
              const made = Array.from(
                { length: after.revisions.length - held.revisions.length },
                (_, i) => held.revisions.length + i + 1,
              );
              expect(named.filter((n) => !made.includes(n))).toEqual([]);
              held = after;
            }
          } catch (error) {
            if (error instanceof Error) error.message += `\n\nBatches:\n${log.join('\n')}`;
            throw error;
          }
        }),
        propertyOptions(RUNS, example),
      );
    });
  });

  describe('a booking sent twice with one key', () => {
    type Double = {
      via: 'form' | 'api' | 'desk';
      slot: number;
      /** How long after the first the second is sent: at once, or as a double click does. */
      gapMs: number;
    };
    const double: fc.Arbitrary<Double> = fc.record({
      via: fc.constantFrom<Double['via']>('form', 'api', 'desk'),
      slot: fc.integer({ min: 0, max: 3 }),
      gapMs: fc.constantFrom(0, 20, 150),
    });

    it('makes one booking, and both answers show it', async () => {
      const example: Double[] = [
        { via: 'form', slot: 0, gapMs: 150 },
        { via: 'api', slot: 1, gapMs: 150 },
        { via: 'desk', slot: 2, gapMs: 0 },
        { via: 'form', slot: 1, gapMs: 0 },
      ];
      await fc.assert(
        fc.asyncProperty(fc.array(double, { minLength: 1, maxLength: 4 }), async (doubles) => {
          const device = await newDevice(t, {
            policy: { maxActivePerPatron: 50, maxMinutesPerWeek: 6000 },
          });
          const patron = await newPatron(t);
          const booked = new Set<number>();
          const log: string[] = [];
          try {
            for (const d of doubles) {
              const start = local(`2026-12-02T${String(11 + d.slot).padStart(2, '0')}:00`);
              const end = local(`2026-12-02T${String(11 + d.slot).padStart(2, '0')}:30`);
              let sendOnce: () => Promise<Response>;
              if (d.via === 'form') {
                const page = await t.http
                  .get(`/equipment/${device}?date=2026-12-02`)
                  .set('Cookie', `dml_session=${patron.token}`)
                  .expect(200);
                const action = `/equipment/${device}/book`;
                const fields = { ...formFields(page.text, action), minutes: '30', start };
                sendOnce = () =>
                  send(
                    `POST ${action}`,
                    t.http
                      .post(action)
                      .set('Cookie', `dml_session=${patron.token}`)
                      .type('form')
                      .send(fields),
                  );
              } else {
                const key = `double-${nextSlug('key')}`;
                const body = {
                  equipment: device,
                  start,
                  end,
                  ...(d.via === 'desk' ? { cardNumber: patron.cardNumber } : {}),
                };
                const token = d.via === 'desk' ? staff : patron.token;
                sendOnce = () =>
                  send(
                    'POST /api/bookings',
                    t.http
                      .post('/api/bookings')
                      .set(bearer(token))
                      .set('Idempotency-Key', key)
                      .send(body),
                  );
              }
              const first = sendOnce();
              await pause(d.gapMs);
              const answers = await Promise.all([first, sendOnce()]);
              const taken = booked.has(d.slot);
              log.push(
                `${d.via} books 11:${d.slot} twice ${d.gapMs} ms apart${taken ? ' (taken)' : ''}: ${answers.map(answerOf).join(', ')}`,
              );
              const listed = await t.http
                .get('/api/bookings')
                .query({ equipment: device, status: 'confirmed' })
                .set(bearer(staff))
                .expect(200);
              const rows = listed.body as { id: string; start: string }[];
              const here = rows.filter((r) => Date.parse(r.start) === Date.parse(start));
              expect(here).toHaveLength(1);
              if (d.via === 'form') {
                const flashes = answers.map((a) => ({
                  status: a.status,
                  location: a.headers.location,
                  kind: flashOf(a)?.kind,
                }));
                const shown = taken
                  ? { status: 303, location: expect.any(String), kind: 'error' }
                  : { status: 303, location: '/my/bookings', kind: 'success' };
                expect(flashes).toEqual([shown, shown]);
                expect(flashOf(answers[0])!.text).toBe(flashOf(answers[1])!.text);
              } else if (taken) {
                expect(answers.map(outcomeOf)).toEqual([
                  { status: 409, code: 'SLOT_TAKEN' },
                  { status: 409, code: 'SLOT_TAKEN' },
                ]);
              } else {
                expect(answers.map((a) => [a.status, a.body.id])).toEqual([
                  [201, here[0].id],
                  [201, here[0].id],
                ]);
              }
              booked.add(d.slot);
            }
          } catch (error) {
            if (error instanceof Error) error.message += `\n\nSteps:\n${log.join('\n')}`;
            throw error;
          }
        }),
        propertyOptions(RUNS, example),
      );
    });
  });
});
