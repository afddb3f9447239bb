import { plainText, renderMarkdown, sanitiseManualHtml, videoEmbedUrl } from './render';
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
        `@[video](${payload})`,
        `@[video: ${payload}](https://youtu.be/dQw4w9WgXcQ)`,
      ]) {
        const html = renderMarkdown(source);
        if (looksDangerous(html)) throw new Error(`Not inert: ${JSON.stringify(source)} → ${html}`);
      }
    }
  });
});

describe('video embeds', () => {
  const ID = 'dQw4w9WgXcQ';
  const NOCOOKIE = `https://www.youtube-nocookie.com/embed/${ID}`;

  it.each([
    [`https://www.youtube.com/watch?v=${ID}`, NOCOOKIE],
    [`https://www.youtube.com/watch?v=${ID}&t=42s`, NOCOOKIE],
    [`https://youtu.be/${ID}`, NOCOOKIE],
    [`https://www.youtube.com/embed/${ID}`, NOCOOKIE],
    [NOCOOKIE, NOCOOKIE],
    ['https://vimeo.com/76979871', 'https://player.vimeo.com/video/76979871'],
    ['https://player.vimeo.com/video/76979871', 'https://player.vimeo.com/video/76979871'],
  ])('embeds %s from %s', (address, embed) => {
    expect(videoEmbedUrl(address)).toBe(embed);
    expect(renderMarkdown(`Watch first:\n\n@[video: Threading the bobbin](${address})`)).toBe(
      `<p>Watch first:</p>\n<iframe src="${embed}" title="Threading the bobbin" width="560" height="315" allowfullscreen loading="lazy" sandbox="allow-scripts allow-same-origin allow-presentation"></iframe>\n`,
    );
  });

  it('gives an embed without a title the title "Video"', () => {
    expect(renderMarkdown(`@[video](https://youtu.be/${ID})`)).toContain('title="Video"');
  });

  it.each([
    `http://www.youtube.com/watch?v=${ID}`,
    `https://www.youtube.com.evil.example/watch?v=${ID}`,
    `https://evil.example/embed/${ID}`,
    `https://user@www.youtube.com/watch?v=${ID}`,
    `https://www.youtube.com:8443/watch?v=${ID}`,
    'https://www.youtube.com/watch?v=short',
    `https://www.youtube.com/watch?v=${ID}"onload="alert(1)`,
    'https://www.youtube.com/playlist?list=PL123',
    'https://vimeo.com/channels/staffpicks',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '//www.youtube.com/embed/dQw4w9WgXcQ',
  ])('leaves a video line for %s as text, without an iframe', (address) => {
    expect(videoEmbedUrl(address)).toBeNull();
    const html = renderMarkdown(`@[video](${address})`);
    expect(html).not.toContain('<iframe');
    expect(looksDangerous(html)).toBe(false);
  });

  it('embeds only a line of its own, not a video line inside a paragraph or code', () => {
    expect(renderMarkdown(`See @[video](https://youtu.be/${ID}) here`)).not.toContain('<iframe');
    expect(renderMarkdown(`    @[video](https://youtu.be/${ID})`)).not.toContain('<iframe');
    expect(renderMarkdown('```\n@[video](https://youtu.be/' + ID + ')\n```')).not.toContain(
      '<iframe',
    );
  });

  it('keeps raw HTML iframes out of the markdown altogether', () => {
    const html = renderMarkdown(`<iframe src="${NOCOOKIE}"></iframe>`);
    expect(html).toMatch(/^<p>&lt;iframe src=/);
    expect(html).not.toContain('<iframe');
  });

  it('counts any other iframe as dangerous in the XSS check', () => {
    const sandbox = 'sandbox="allow-scripts allow-same-origin allow-presentation"';
    expect(looksDangerous(`<iframe src="${NOCOOKIE}" ${sandbox}></iframe>`)).toBe(false);
    expect(looksDangerous(`<iframe src="${NOCOOKIE}"></iframe>`)).toBe(true);
    expect(looksDangerous(`<iframe src="https://evil.example/" ${sandbox}></iframe>`)).toBe(true);
    expect(looksDangerous(`<iframe src="${NOCOOKIE}" ${sandbox} srcdoc="x"></iframe>`)).toBe(true);
  });

  describe('and the sanitiser on its own', () => {
    it.each([
      `<iframe src="${NOCOOKIE}"></iframe>`,
      `<iframe src="https://www.youtube.com/embed/${ID}"></iframe>`,
      '<iframe src="https://player.vimeo.com/video/76979871"></iframe>',
    ])('keeps %s, lazy and sandboxed', (html) => {
      const clean = sanitiseManualHtml(html);
      expect(clean).toMatch(/^<iframe src="https:\/\/[^"]+"/);
      expect(clean).toContain('loading="lazy"');
      expect(clean).toContain('sandbox="allow-scripts allow-same-origin allow-presentation"');
    });

    it('drops attributes beyond src, title, size and fullscreen, and replaces loading and sandbox', () => {
      expect(
        sanitiseManualHtml(
          `<iframe src="${NOCOOKIE}" title="T" width="1" height="2" allowfullscreen onload="alert(1)" srcdoc="<script>alert(1)</script>" allow="camera" name="x" style="position:fixed" loading="eager" sandbox="allow-top-navigation allow-forms">inside</iframe>`,
        ),
      ).toBe(
        `<iframe src="${NOCOOKIE}" title="T" width="1" height="2" allowfullscreen loading="lazy" sandbox="allow-scripts allow-same-origin allow-presentation"></iframe>`,
      );
    });

    it.each([
      '<iframe src="https://evil.example/embed/dQw4w9WgXcQ"></iframe>',
      '<iframe src="http://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
      '<iframe src="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></iframe>',
      '<iframe src="https://www.youtube.com/redirect?q=https://evil.example"></iframe>',
      '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ/../../redirect"></iframe>',
      '<iframe src="https://player.vimeo.com/video/1?autoplay=1"></iframe>',
      '<iframe src="https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ"></iframe>',
      '<iframe src="//www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
      '<iframe src="/api/images/x"></iframe>',
      '<iframe src="javascript:alert(1)"></iframe>',
      '<iframe src="JaVaScRiPt:alert(1)"></iframe>',
      '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
      '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
      '<iframe></iframe>',
    ])('strips %s', (html) => {
      expect(sanitiseManualHtml(`<p>a</p>${html}<p>b</p>`)).toBe('<p>a</p><p>b</p>');
    });
  });
});

describe(plainText.name, () => {
  it('strips markup for search and summaries', () => {
    expect(plainText('**Press** the [red](https://x.example) button.\n\n> **Note:** gently')).toBe(
      'Press the red button. Note: gently',
    );
  });
});
