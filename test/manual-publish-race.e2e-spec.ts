import { createTestApp, TestApp } from './create-test-app';
import { bearer, signIn } from './factories';

const content = (title: string, steps = 2) => ({
  title,
  summary: `Summary of ${title}.`,
  difficulty: 'easy',
  estimatedMinutes: [10, 20],
  equipment: [],
  bring: [],
  prerequisites: [],
  grantsCertification: false,
  introduction: `Introduction to ${title}.`,
  steps: Array.from({ length: steps }, (_, i) => ({
    title: `${title}, step ${i + 1}`,
    body: `Do part ${i + 1} of ${title}.`,
  })),
  conclusion: `End of ${title}.`,
});

let serial = 0;

describe('Publishing and saving one walkthrough at the same time', () => {
  let t: TestApp;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  const newManual = async (): Promise<string> => {
    serial += 1;
    const slug = `race-${serial}`;
    await t.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({ slug, ...content('First edition') })
      .expect(201);
    await publish(slug).expect(200);
    return slug;
  };
  const publish = (slug: string) =>
    t.http.post(`/api/manuals/${slug}/publish`).set(bearer(librarian)).send({});
  const save = (slug: string, title: string, steps = 2) =>
    t.http.put(`/api/manuals/${slug}/draft`).set(bearer(librarian)).send(content(title, steps));
  const revisions = async (slug: string) =>
    (await t.http.get(`/api/manuals/${slug}/revisions`).set(bearer(librarian)).expect(200))
      .body as { number: number }[];
  const revisionTitle = async (slug: string, n: number) =>
    (await t.http.get(`/api/manuals/${slug}/revisions/${n}`).set(bearer(librarian)).expect(200))
      .body.content.title as string;
  const draft = async (slug: string) =>
    (await t.http.get(`/api/manuals/${slug}/draft`).set(bearer(librarian)).expect(200)).body as {
      isDraft: boolean;
      content: ReturnType<typeof content>;
    };

  it('makes exactly one revision of a draft published ten times at once; the others are told there is nothing new', async () => {
    const slug = await newManual();
    await save(slug, 'Second edition').expect(200);
    const answers = await Promise.all(Array.from({ length: 10 }, () => publish(slug)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
    for (const refused of answers.filter((a) => a.status === 409))
      expect(refused.body.message).toMatch(/nothing new to publish: revision 2/);
    expect((await revisions(slug)).map((r) => r.number)).toEqual([2, 1]);
    expect(await revisionTitle(slug, 2)).toBe('Second edition');
    expect((await draft(slug)).isDraft).toBe(false);
  });

  it('never loses a draft saved while it is being published: it is in the revision or still the draft', async () => {
    const slug = await newManual();
    for (let round = 1; round <= 6; round += 1) {
      await save(slug, `Round ${round} published`).expect(200);
      const [published, saved] = await Promise.all([
        publish(slug),
        save(slug, `Round ${round} saved`),
      ]);
      expect(saved.status).toBe(200);
      expect([200, 409]).toContain(published.status);
      const latest = (await revisions(slug))[0].number;
      const inRevision = (await revisionTitle(slug, latest)) === `Round ${round} saved`;
      const working = await draft(slug);
      const inDraft = working.isDraft && working.content.title === `Round ${round} saved`;
      expect({ round, kept: inRevision || inDraft }).toEqual({ round, kept: true });
      // Whatever is left as the draft goes out before the next round.
      if (working.isDraft) await publish(slug).expect(200);
    }
    const all = await revisions(slug);
    const titles = await Promise.all(all.map((r) => revisionTitle(slug, r.number)));
    // No revision repeats the one before it.
    titles.forEach((title, i) => expect(title).not.toBe(titles[i + 1]));
  });

  it('keeps the last of several drafts saved at once whole, never a mix of two', async () => {
    const slug = await newManual();
    const saves = await Promise.all(
      Array.from({ length: 8 }, (_, i) => save(slug, `Edit ${i + 1}`, i + 1)),
    );
    expect(saves.map((s) => s.status)).toEqual(Array<number>(8).fill(200));
    const { content: kept } = await draft(slug);
    const n = Number(/^Edit (\d+)$/.exec(kept.title)?.[1]);
    expect(kept).toMatchObject(content(`Edit ${n}`, n));
  });
});
