import { csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newPatron, TestPatron } from './factories';

const STUDIO = 'podcast-studio-basics';
const ORIENTATION = 'lab-orientation';

describe('Walkthrough progress that cannot be gamed', () => {
  let t: TestApp;
  let studioSteps: number;
  let orientationSteps: number;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
    studioSteps = (await t.http.get(`/api/manuals/${STUDIO}`).expect(200)).body.steps.length;
    orientationSteps = (await t.http.get(`/api/manuals/${ORIENTATION}`).expect(200)).body.steps
      .length;
  });
  afterAll(() => t.close());

  const record = (patron: TestPatron, slug: string, step: number) =>
    t.http.post(`/api/manuals/${slug}/progress`).set(bearer(patron.token)).send({ step });
  const stepThrough = async (patron: TestPatron, slug: string, from: number, to: number) => {
    for (let step = from; step <= to; step += 1) await record(patron, slug, step).expect(200);
  };
  const certifications = async (patron: TestPatron) =>
    (await t.http.get('/api/me').set(bearer(patron.token)).expect(200)).body.certifications;
  const bookStudio = (patron: TestPatron) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({
        equipment: 'podcast-studio',
        start: local('2026-12-02T15:00'),
        end: local('2026-12-02T16:00'),
      });

  it('refuses the last step of a walkthrough never opened, naming the step to do, and certifies nobody', async () => {
    const patron = await newPatron(t);
    await stepThrough(patron, ORIENTATION, 1, orientationSteps);
    const jumped = await record(patron, STUDIO, studioSteps).expect(422);
    expect(jumped.body).toMatchObject({
      code: 'STEPS_SKIPPED',
      message: expect.stringContaining('step 1'),
    });
    expect(await certifications(patron)).toEqual([]);
    expect((await bookStudio(patron).expect(422)).body.code).toBe('ORIENTATION_REQUIRED');
  });

  it('goes one step at a time: the next step, or one already done, but never a step ahead', async () => {
    const patron = await newPatron(t);
    await record(patron, STUDIO, 1).expect(200);
    const two = await record(patron, STUDIO, 2).expect(200);
    expect(two.body).toMatchObject({ step: 2, completed: false });
    const again = await record(patron, STUDIO, 1).expect(200);
    expect(again.body).toMatchObject({ step: 2 });
    await record(patron, STUDIO, 2).expect(200);
    const skipped = await record(patron, STUDIO, 4).expect(422);
    expect(skipped.body).toMatchObject({
      code: 'STEPS_SKIPPED',
      message: expect.stringContaining('step 3'),
    });
    await record(patron, STUDIO, 3).expect(200);
  });

  it('certifies only once the prerequisite walkthrough is finished, naming it until then', async () => {
    const patron = await newPatron(t);
    await stepThrough(patron, STUDIO, 1, studioSteps - 1);
    const early = await record(patron, STUDIO, studioSteps).expect(422);
    expect(early.body).toMatchObject({
      code: 'PREREQUISITE_REQUIRED',
      message: expect.stringContaining('Welcome to the Digital Media Lab'),
    });
    expect(early.body.message).toContain(`/manuals/${ORIENTATION}`);
    expect(await certifications(patron)).toEqual([]);
    // The steps done are kept.
    await record(patron, STUDIO, studioSteps - 1).expect(200);

    await stepThrough(patron, ORIENTATION, 1, orientationSteps);
    const done = await record(patron, STUDIO, studioSteps).expect(200);
    expect(done.body).toEqual({
      step: studioSteps,
      steps: studioSteps,
      completed: true,
      certified: ['podcast-studio'],
    });
    await bookStudio(patron).expect(201);
  });

  it('records ten taps of the same first step at once without refusing any', async () => {
    const patron = await newPatron(t);
    const taps = await Promise.all(
      Array.from({ length: 10 }, () => record(patron, ORIENTATION, 1)),
    );
    expect(taps.map((r) => r.status)).toEqual(Array<number>(10).fill(200));
    await record(patron, ORIENTATION, 2).expect(200);
  });

  describe('the step-by-step page', () => {
    const page = (patron: TestPatron, path: string) =>
      t.http.get(path).set('Cookie', `dml_session=${patron.token}`).expect(200);
    const post = (patron: TestPatron, step: number) =>
      t.http
        .post(`/manuals/${STUDIO}/progress`)
        .set('Cookie', `dml_session=${patron.token}`)
        .type('form')
        .send({ step: String(step), _csrf: csrfTokenFor(patron.token) })
        .expect(303);
    const flash = (response: { headers: Record<string, unknown> }) => {
      const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? [];
      const raw = cookies.find((c) => c.startsWith('dml_flash='))!.split(';')[0];
      return JSON.parse(decodeURIComponent(raw.slice('dml_flash='.length))) as {
        kind: string;
        text: string;
      };
    };

    it('walks each step in turn, and sends a jump back to the step to do with plain words', async () => {
      const patron = await newPatron(t);
      const first = await post(patron, 1);
      expect(first.headers.location).toBe(`/manuals/${STUDIO}?step=2`);
      const second = await post(patron, 2);
      expect(second.headers.location).toBe(`/manuals/${STUDIO}?step=3`);

      const ahead = await page(patron, `/manuals/${STUDIO}?step=5`);
      expect(ahead.text).toContain('you have not done step 3 yet');
      expect(ahead.text).not.toContain('Done: go to step 6');
      const current = await page(patron, `/manuals/${STUDIO}?step=3`);
      expect(current.text).toContain('Done: go to step 4');

      const jump = await post(patron, 5);
      expect(jump.headers.location).toBe(`/manuals/${STUDIO}?step=3`);
      expect(flash(jump)).toMatchObject({
        kind: 'error',
        text: expect.stringContaining('do step 3 next'),
      });
    });

    it('says which walkthrough to finish first when the last step needs a prerequisite', async () => {
      const patron = await newPatron(t);
      for (let step = 1; step < studioSteps; step += 1) await post(patron, step);
      const last = await post(patron, studioSteps);
      expect(last.headers.location).toBe(`/manuals/${STUDIO}?step=${studioSteps}`);
      expect(flash(last)).toMatchObject({
        kind: 'error',
        text: expect.stringContaining('Finish the walkthrough "Welcome to the Digital Media Lab"'),
      });
    });
  });
});
