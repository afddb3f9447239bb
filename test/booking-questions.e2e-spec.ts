import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn } from './factories';

// Tuesday 1 December 2026, 9:00 in New York.
const NOW = '2026-12-01T14:00:00Z';

const QUESTIONS = [
  { id: 'project', label: 'What will you record?', type: 'text', required: true },
  { id: 'people', label: 'How many people?', type: 'number', required: false },
  {
    id: 'setup',
    label: 'Microphones',
    type: 'choice',
    required: true,
    options: ['Two', 'Four'],
  },
  { id: 'music', label: 'Will you use music?', type: 'yes-no', required: false },
];
const TERMS = 'Leave the studio as you found it. Food and drink stay outside.';

describe('Booking questions and terms', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;
  let device: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
    device = await newDevice(t);
    await t.http
      .patch(`/api/equipment/${device}`)
      .set(bearer(librarian))
      .send({ policy: { questions: QUESTIONS, terms: TERMS } })
      .expect(200);
  });
  afterAll(() => t.close());

  const book = (token: string, start: string, extra: Record<string, unknown>) =>
    t.http
      .post('/api/bookings')
      .set(bearer(token))
      .send({
        equipment: device,
        start: local(`2026-12-02T${start}`),
        end: local(`2026-12-02T${start.replace(/^(\d\d)/, (h) => String(Number(h) + 1))}`),
        ...extra,
      });

  it('shows the questions and terms with the equipment', async () => {
    const shown = await t.http.get(`/api/equipment/${device}`).expect(200);
    expect(shown.body.policy).toMatchObject({ questions: QUESTIONS, terms: TERMS });
  });

  it('asks for required answers and the terms, and says what is wrong with an answer', async () => {
    const patron = await newPatron(t);
    const missing = await book(patron.token, '10:00', {
      answers: { setup: 'Two' },
      acceptTerms: true,
    }).expect(422);
    expect(missing.body).toMatchObject({
      code: 'ANSWER_REQUIRED',
      message: 'Please answer “What will you record?”.',
    });
    const unaccepted = await book(patron.token, '10:00', {
      answers: { project: 'A podcast', setup: 'Two' },
    }).expect(422);
    expect(unaccepted.body.code).toBe('TERMS_NOT_ACCEPTED');
    const wrongChoice = await book(patron.token, '10:00', {
      answers: { project: 'A podcast', setup: 'Six' },
      acceptTerms: true,
    }).expect(400);
    expect(wrongChoice.body.message).toBe('answers.setup must be one of: Two, Four');
    const unknown = await book(patron.token, '10:00', {
      answers: { project: 'A podcast', setup: 'Two', colour: 'red' },
      acceptTerms: true,
    }).expect(400);
    expect(unknown.body.message).toBe('answers.colour answers no question of this equipment');
    const notANumber = await book(patron.token, '10:00', {
      answers: { project: 'A podcast', setup: 'Two', people: 'lots' },
      acceptTerms: true,
    }).expect(400);
    expect(notANumber.body.message).toBe('answers.people must be a number');
    const none = await t.http.get('/api/bookings').set(bearer(patron.token)).expect(200);
    expect(none.body).toEqual([]);
  });

  it('keeps the answers with the booking, shows them to staff and exports them as CSV', async () => {
    const patron = await newPatron(t, { name: 'Octavia Butler' });
    const made = await book(patron.token, '13:00', {
      answers: { project: 'Interview, part "two"', setup: 'Four', people: 3, music: false },
      acceptTerms: true,
    }).expect(201);
    expect(made.body.answers).toEqual({
      project: 'Interview, part "two"',
      setup: 'Four',
      people: 3,
      music: false,
    });
    expect(made.body.termsAcceptedAt).toBe(local('2026-12-01T09:00'));
    const seen = await t.http.get(`/api/bookings/${made.body.id}`).set(bearer(staff)).expect(200);
    expect(seen.body.answers.project).toBe('Interview, part "two"');

    const csv = await t.http
      .get('/api/reports/bookings?from=2026-12-02&to=2026-12-02&format=csv')
      .set(bearer(staff))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'code,equipment,equipmentName,start,end,status,cardNumber,patron,termsAcceptedAt,answer:music,answer:people,answer:project,answer:setup',
    );
    const row = lines.find((l) => l.startsWith(made.body.code))!;
    expect(row).toContain(`,${patron.cardNumber},Octavia Butler,`);
    expect(row.endsWith(',no,3,"Interview, part ""two""",Four')).toBe(true);
    const json = await t.http
      .get('/api/reports/bookings?from=2026-12-02&to=2026-12-02')
      .set(bearer(staff))
      .expect(200);
    expect(json.body.map((b: { code: string }) => b.code)).toContain(made.body.code);
    await t.http
      .get('/api/reports/bookings?from=2026-12-02&to=2026-12-02')
      .set(bearer(patron.token))
      .expect(403);
  });

  it('refuses questions a librarian gets wrong, naming the field', async () => {
    const refused = await t.http
      .patch(`/api/equipment/${device}`)
      .set(bearer(librarian))
      .send({ policy: { questions: [{ id: 'x', label: 'Pick', type: 'choice', required: true }] } })
      .expect(400);
    expect(refused.body.message).toBe('policy.questions "x" is a choice and needs options');
    const badType = await t.http
      .patch(`/api/equipment/${device}`)
      .set(bearer(librarian))
      .send({ policy: { questions: [{ id: 'x', label: 'Pick', type: 'date', required: true }] } })
      .expect(400);
    expect(badType.body.message).toContain('policy.questions.type must be one of');
  });
});
