import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManualContent } from './manual-content';
import { formatManualSource, ManualSourceError, parseManualSource } from './manual-source';

const MANUALS = join(__dirname, '..', '..', 'manuals');

describe(parseManualSource.name, () => {
  const files = readdirSync(MANUALS).filter((f) => f.endsWith('.md'));

  it.each(files)('reads manuals/%s with 5 to 12 steps', (file) => {
    const { slug, content } = parseManualSource(readFileSync(join(MANUALS, file), 'utf8'), file);
    expect(`${slug}.md`).toBe(file);
    expect(content.steps.length).toBeGreaterThanOrEqual(5);
    expect(content.steps.length).toBeLessThanOrEqual(12);
    expect(content.introduction.length).toBeGreaterThan(20);
    expect(content.conclusion.length).toBeGreaterThan(20);
  });

  it.each(files)('writes manuals/%s back so that it reads the same', (file) => {
    const first = parseManualSource(readFileSync(join(MANUALS, file), 'utf8'), file);
    const again = parseManualSource(formatManualSource(first.slug, first.content), file);
    expect(again).toEqual(first);
  });

  it.each(files)('reads manuals/%s as steps without pictures yet', (file) => {
    const { content } = parseManualSource(readFileSync(join(MANUALS, file), 'utf8'), file);
    expect(content.steps.every((step) => Array.isArray(step.images))).toBe(true);
  });

  const image = (n: number, extension = 'png') =>
    `/api/images/${String(n).repeat(64)}.${extension}`;
  const withPictures: ManualContent = {
    title: 'Pictures',
    summary: 'Steps with pictures.',
    difficulty: 'easy',
    estimatedMinutes: [5, 10],
    equipment: ['podcast-studio'],
    bring: [],
    prerequisites: [],
    grantsCertification: false,
    introduction: 'Look closely.',
    steps: [
      {
        title: 'Three pictures and a body',
        body:
          'Turn the knob.\n\n![Inline, stays in the body](/api/images/' + '9'.repeat(64) + '.png)',
        images: [
          { src: image(1), alt: 'The gain knobs, turned to noon' },
          { src: image(2, 'jpg'), alt: 'Brackets [like these] and a back\\slash' },
          { src: image(3, 'webp'), alt: 'Third' },
        ],
      },
      { title: 'Only a picture', body: '', images: [{ src: image(4, 'gif'), alt: 'A cable' }] },
      { title: 'No pictures', body: 'Plain words.', images: [] },
    ],
    conclusion: 'Done.',
  };

  it('writes step pictures as image lines under the heading, and reads them back', () => {
    const text = formatManualSource('pictures', withPictures);
    expect(text).toContain(
      `## Three pictures and a body\n![The gain knobs, turned to noon](${image(1)})\n`,
    );
    expect(text).toContain(`![Brackets \\[like these\\] and a back\\\\slash](${image(2, 'jpg')})`);
    expect(parseManualSource(text)).toEqual({ slug: 'pictures', content: withPictures });
  });

  it('reads a picture line only right under the heading and only for images uploaded here', () => {
    const text = formatManualSource('pictures', withPictures).replace(
      '## No pictures\n',
      '## No pictures\n![Elsewhere](https://example.org/a.png)\n',
    );
    const step = parseManualSource(text).content.steps[2];
    expect(step).toEqual({
      title: 'No pictures',
      body: '![Elsewhere](https://example.org/a.png)\nPlain words.',
      images: [],
    });
  });

  it.each([
    ['a picture without alt text', `![](${image(1)})`, /needs alt text/],
    ['a picture with only spaces for alt text', `![  ](${image(1)})`, /needs alt text/],
    [
      'four pictures on a step',
      [1, 2, 3, 4].map((n) => `![Picture ${n}](${image(n)})`).join('\n'),
      /4 pictures; at most 3/,
    ],
  ])('refuses a step with %s', (_case, lines, message) => {
    const text = `---\nslug: a\ntitle: A\nsummary: s\ndifficulty: easy\nestimatedMinutes: [5, 10]\n---\nIntro\n## One\n${lines}\nx\n## Conclusion\ny`;
    expect(() => parseManualSource(text, 'test.md')).toThrow(message);
  });

  it.each([
    ['no front matter', '# Title\n\n## Step\nx\n## Conclusion\ny', /front matter/],
    [
      'a bad difficulty',
      '---\nslug: a\ntitle: A\nsummary: s\ndifficulty: impossible\nestimatedMinutes: [5, 10]\n---\nIntro\n## One\nx\n## Conclusion\ny',
      /difficulty/,
    ],
    [
      'a backwards time range',
      '---\nslug: a\ntitle: A\nsummary: s\ndifficulty: easy\nestimatedMinutes: [10, 5]\n---\nIntro\n## One\nx\n## Conclusion\ny',
      /estimatedMinutes/,
    ],
    [
      'no conclusion',
      '---\nslug: a\ntitle: A\nsummary: s\ndifficulty: easy\nestimatedMinutes: [5, 10]\n---\nIntro\n## One\nx',
      /Conclusion/,
    ],
    [
      'a bad slug',
      '---\nslug: Not A Slug\ntitle: A\nsummary: s\ndifficulty: easy\nestimatedMinutes: [5, 10]\n---\nIntro\n## One\nx\n## Conclusion\ny',
      /slug/,
    ],
  ])('refuses a file with %s', (_case, text, message) => {
    expect(() => parseManualSource(text, 'test.md')).toThrow(ManualSourceError);
    expect(() => parseManualSource(text, 'test.md')).toThrow(message);
  });
});
