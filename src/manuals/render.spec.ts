import { plainText, renderMarkdown } from './render';
import { looksDangerous, XSS_PAYLOADS } from '../../test/xss-payloads';

describe(renderMarkdown.name, () => {
  it('renders the markdown a librarian writes', () => {
    const html = renderMarkdown(
      '1. Press **Record**.\n2. Watch the *meter*.\n\n[Lab page](https://library.example/dml)',
    );
    expect(html).toContain('<ol>');
    expect(html).toContain('<strong>Record</strong>');
    expect(html).toContain(
      '<a href="https://library.example/dml" rel="noopener noreferrer nofollow">Lab page</a>',
    );
  });

  it.each([
    ['Caution', 'caution'],
    ['Note', 'note'],
    ['Reminder', 'reminder'],
  ])('turns a **%s:** blockquote into a typed callout', (label, kind) => {
    const html = renderMarkdown(`> **${label}:** Keep fingers clear of the blade.`);
    expect(html).toMatch(new RegExp(`^<aside class="callout callout-${kind}">`));
    expect(html).toContain(`<strong>${label}:</strong> Keep fingers clear of the blade.`);
    expect(html).not.toContain('blockquote');
  });

  it('leaves an ordinary quotation a blockquote', () => {
    expect(renderMarkdown('> Just a quote')).toContain('<blockquote>');
  });

  it('keeps images with web addresses and their alt text', () => {
    expect(renderMarkdown('![The mixer](https://library.example/mixer.jpg)')).toContain(
      '<img src="https://library.example/mixer.jpg" alt="The mixer" />',
    );
  });

  it(`leaves all ${XSS_PAYLOADS.length} hostile inputs inert, wherever they stand`, () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(40);
    for (const payload of XSS_PAYLOADS) {
      for (const source of [
        payload,
        `## ${payload}`,
        `Text ${payload} text`,
        `> **Caution:** ${payload}`,
        `![${payload}](https://example.org/x.png)`,
      ]) {
        const html = renderMarkdown(source);
        if (looksDangerous(html)) throw new Error(`Not inert: ${JSON.stringify(source)} → ${html}`);
      }
    }
  });
});

describe(plainText.name, () => {
  it('strips markup for search and summaries', () => {
    expect(plainText('**Press** the [red](https://x.example) button.\n\n> **Note:** gently')).toBe(
      'Press the red button. Note: gently',
    );
  });
});
