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
  ],
  allowedAttributes: {
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
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};
SANITISE.allowedAttributes = { ...SANITISE.allowedAttributes, a: ['href', 'title', 'rel'] };

/** Markdown from librarians to HTML that is safe to put in a page. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITISE);
}

/** Plain text for a one-line summary or a search index. */
export function plainText(source: string): string {
  return sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/\s+/g, ' ')
    .trim();
}
