import type { ManualContent } from './manual-content';
import { compareContents, markWordChanges, tokensOf } from './word-diff';

describe('word diff', () => {
  it('splits HTML into tags, spaces and words', () => {
    expect(tokensOf('<p>Wake the  screen</p>')).toEqual([
      '<p>',
      'Wake',
      ' ',
      'the',
      '  ',
      'screen',
      '</p>',
    ]);
  });

  it.each([
    [
      '<p>Wake the screen</p>',
      '<p>Wake the kiosk screen</p>',
      '<p>Wake the screen</p>',
      '<p>Wake the <ins>kiosk</ins> screen</p>',
    ],
    [
      '<p>Press <strong>Start</strong> twice</p>',
      '<p>Press <strong>Go</strong> once</p>',
      '<p>Press <strong><del>Start</del></strong> <del>twice</del></p>',
      '<p>Press <strong><ins>Go</ins></strong> <ins>once</ins></p>',
    ],
    ['', '<p>New</p>', '', '<p><ins>New</ins></p>'],
  ])('marks %s → %s', (before, after, left, right) => {
    expect(markWordChanges(before, after)).toEqual({ before: left, after: right, changed: true });
  });

  it('says when nothing changed', () => {
    expect(markWordChanges('<p>Same</p>', '<p>Same</p>').changed).toBe(false);
  });

  it('compares step by step, pictures by what they show', () => {
    const base: ManualContent = {
      title: 'Kiosk',
      summary: 'Scan',
      difficulty: 'easy',
      estimatedMinutes: [5, 10],
      equipment: [],
      bring: [],
      prerequisites: [],
      grantsCertification: false,
      introduction: '',
      steps: [{ title: 'Wake it', body: 'Touch **once**.', images: [] }],
      conclusion: '',
    };
    const draft: ManualContent = {
      ...base,
      steps: [
        {
          title: 'Wake it',
          body: 'Touch **twice**.',
          images: [{ src: '/api/images/0123456789abcdef0123.png', alt: 'The screen' }],
        },
      ],
    };
    const step = compareContents(base, draft).find((s) => s.label === 'Step 1')!;
    expect(step.changed).toBe(true);
    expect(step.before).toContain('<strong><del>once</del></strong>');
    expect(step.after).toContain('<strong><ins>twice</ins></strong>');
    expect(step.after).toContain('<ins>Picture:</ins> <ins>The</ins> <ins>screen</ins>');
    expect(compareContents(base, draft).find((s) => s.label === 'Title')!.changed).toBe(false);
  });
});
