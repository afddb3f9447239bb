import {
  prerequisitesFinished,
  progressRefusal,
  ProgressFacts,
  stepsInOrder,
} from './progress-rules';

const facts = (overrides: Partial<ProgressFacts>): ProgressFacts => ({
  step: 1,
  reached: 0,
  finished: false,
  stepTitles: ['Plug in', 'Record', 'Save your files'],
  grantsCertification: true,
  unfinishedPrerequisites: [],
  ...overrides,
});

describe(stepsInOrder.name, () => {
  it.each([
    ['the first step of a walkthrough not started', 0, 1, null],
    ['the next step', 1, 2, null],
    ['the same step again', 2, 2, null],
    ['an earlier step', 3, 1, null],
    ['the last step right after the one before it', 2, 3, null],
    ['the last step of a walkthrough not started', 0, 3, 'step 1 ("Plug in")'],
    ['a step two ahead', 1, 3, 'step 2 ("Record")'],
  ])('%s: reached %i, recording %i', (_case, reached, step, named) => {
    const refused = stepsInOrder(facts({ reached, step }));
    if (named === null) expect(refused).toBeNull();
    else
      expect(refused).toEqual({ code: 'STEPS_SKIPPED', message: expect.stringContaining(named) });
  });
});

describe(prerequisitesFinished.name, () => {
  const lab = { slug: 'lab-orientation', title: 'Welcome to the Digital Media Lab' };
  it.each([
    ['refuses finishing a certifying walkthrough before its prerequisite', {}, true],
    ['allows the steps before the last', { step: 2 }, false],
    ['allows a walkthrough that certifies nobody', { grantsCertification: false }, false],
    ['allows going over the last step again once finished', { finished: true }, false],
    ['allows it once the prerequisites are done', { unfinishedPrerequisites: [] }, false],
  ])('%s', (_case, overrides: Partial<ProgressFacts>, refuses) => {
    const refused = prerequisitesFinished(
      facts({ step: 3, reached: 2, unfinishedPrerequisites: [lab], ...overrides }),
    );
    if (refuses)
      expect(refused).toEqual({
        code: 'PREREQUISITE_REQUIRED',
        message: expect.stringContaining(
          '"Welcome to the Digital Media Lab" (/manuals/lab-orientation)',
        ),
      });
    else expect(refused).toBeNull();
  });
});

describe(progressRefusal.name, () => {
  it('names the skipped step before any missing prerequisite', () => {
    const refused = progressRefusal(
      facts({ step: 3, unfinishedPrerequisites: [{ slug: 'a', title: 'A' }] }),
    );
    expect(refused?.code).toBe('STEPS_SKIPPED');
  });
});
