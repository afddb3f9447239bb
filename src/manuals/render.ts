import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const CALLOUTS: Record<string, string> = {
  'Note:': 'note',
  'Caution:': 'caution',
  'Reminder:': 'reminder',
};

/**
 * Raw HTML in the markdown is not passed through at all (`html: false`), and the output is then
 * sanitised as well, so that a mistake in either layer alone lets nothing run.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

// A blockquote opening with **Caution:** (or Note, Reminder) becomes a typed callout.
markdown.core.ruler.push('callouts', (state) => {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'blockquote_open') continue;
    const inline = tokens[i + 2];
    const children = (inline?.type === 'inline' ? (inline.children ?? []) : []).filter(
      (child) => child.type !== 'text' || child.content !== '',
    );
    const label = children[0]?.type === 'strong_open' ? children[1]?.content : undefined;
    const kind = label ? CALLOUTS[label] : undefined;
    if (!kind) continue;
    tokens[i].tag = 'aside';
    tokens[i].attrSet('class', `callout callout-${kind}`);
    let depth = 0;
    for (let j = i; j < tokens.length; j++) {
      if (tokens[j].type === 'blockquote_open') depth += 1;
      if (tokens[j].type === 'blockquote_close' && --depth === 0) {
        tokens[j].tag = 'aside';
        break;
      }
    }
  }
});

/** The only places a video may be embedded from, and only these embed paths, over https. */
const EMBEDS: readonly RegExp[] = [
  /^https:\/\/www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}$/,
  /^https:\/\/www\.youtube\.com\/embed\/[A-Za-z0-9_-]{11}$/,
  /^https:\/\/player\.vimeo\.com\/video\/\d{1,12}$/,
];
export const VIDEO_HOSTS = ['www.youtube-nocookie.com', 'www.youtube.com', 'player.vimeo.com'];

/**
 * The embed address of a video page a librarian pasted: YouTube (watch, short, embed or
 * nocookie links, embedded from youtube-nocookie.com) or Vimeo. Null for anything else.
 */
export function videoEmbedUrl(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  const youtubeId = /^[A-Za-z0-9_-]{11}$/;
  const path = url.pathname;
  let id: string | null = null;
  if (['www.youtube.com', 'youtube.com', 'm.youtube.com'].includes(url.hostname)) {
    id =
      path === '/watch'
        ? url.searchParams.get('v')
        : (/^\/embed\/([^/]+)$/.exec(path)?.[1] ?? null);
  } else if (url.hostname === 'youtu.be') {
    id = path.slice(1);
  } else if (url.hostname === 'www.youtube-nocookie.com') {
    id = /^\/embed\/([^/]+)$/.exec(path)?.[1] ?? null;
  } else if (url.hostname === 'vimeo.com' || url.hostname === 'player.vimeo.com') {
    const number = /^\/(?:video\/)?(\d{1,12})$/.exec(path)?.[1];
    return number ? `https://player.vimeo.com/video/${number}` : null;
  }
  return id && youtubeId.test(id) ? `https://www.youtube-nocookie.com/embed/${id}` : null;
}

/**
 * A line of its own, `@[video](https://www.youtube.com/watch?v=…)` or
 * `@[video: What it shows](https://vimeo.com/…)`, embeds the video when it comes from an allowed
 * host; otherwise it stays ordinary text with a link.
 */
const VIDEO_LINE = /^@\[video(?::\s*([^\]\n]*))?\]\(\s*(\S+?)\s*\)\s*$/;

markdown.block.ruler.before('paragraph', 'video', (state, startLine, _endLine, silent) => {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const match = VIDEO_LINE.exec(state.src.slice(start, state.eMarks[startLine]));
  const src = match ? videoEmbedUrl(match[2]) : null;
  if (!match || !src) return false;
  if (silent) return true;
  const token = state.push('video', 'iframe', 0);
  token.block = true;
  token.map = [startLine, startLine + 1];
  token.attrs = [
    ['src', src],
    ['title', match[1]?.trim() || 'Video'],
  ];
  state.line = startLine + 1;
  return true;
});

markdown.renderer.rules.video = (tokens, index) => {
  const attributes = (tokens[index].attrs ?? [])
    .map(([name, value]) => `${name}="${markdown.utils.escapeHtml(String(value))}"`)
    .join(' ');
  return `<iframe ${attributes} width="560" height="315" allowfullscreen></iframe>\n`;
};

const IFRAME_SANDBOX = 'allow-scripts allow-same-origin allow-presentation';

const SANITISE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'code',
    'pre',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'h3',
    'h4',
    'blockquote',
    'aside',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    's',
    'kbd',
    'iframe',
  ],
  allowedAttributes: {
    iframe: ['src', 'title', 'width', 'height', 'allowfullscreen', 'loading', 'sandbox'],
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    aside: ['class'],
    ol: ['start'],
    th: ['style'],
    td: ['style'],
  },
  allowedClasses: { aside: ['callout', 'callout-note', 'callout-caution', 'callout-reminder'] },
  allowedStyles: {
    th: { 'text-align': [/^(left|right|center)$/] },
    td: { 'text-align': [/^(left|right|center)$/] },
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'], iframe: ['https'] },
  allowProtocolRelative: false,
  allowedIframeHostnames: VIDEO_HOSTS,
  allowIframeRelativeUrls: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    // Whatever an iframe asked for, it loads late and in a sandbox.
    iframe: sanitizeHtml.simpleTransform('iframe', { loading: 'lazy', sandbox: IFRAME_SANDBOX }),
  },
  // An iframe stays only as a video embed from the allow-list, its contents dropped.
  exclusiveFilter: (frame) =>
    frame.tag === 'iframe' && !EMBEDS.some((embed) => embed.test(frame.attribs.src ?? '')),
  textFilter: (text, tagName) => (tagName === 'iframe' ? '' : text),
};
SANITISE.allowedAttributes = { ...SANITISE.allowedAttributes, a: ['href', 'title', 'rel'] };

/** The second layer on its own: what may stand in a manual page, whatever HTML it is given. */
export function sanitiseManualHtml(html: string): string {
  return sanitizeHtml(html, SANITISE);
}

/** Markdown from librarians to HTML that is safe to put in a page. */
export function renderMarkdown(source: string): string {
  return sanitiseManualHtml(markdown.render(source));
}

/** Plain text for a one-line summary or a search index. */
export function plainText(source: string): string {
  return sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/\s+/g, ' ')
    .trim();
}
