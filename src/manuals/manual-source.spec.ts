import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
