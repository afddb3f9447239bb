import { Parser } from 'htmlparser2';

/** Hostile text a manual's title, steps or image names might hold; rendering must leave it inert. */
export const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="javascript:alert(1)">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<body onload=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x" onerror="alert(1)](https://example.org/a.png)',
  '![x](https://example.org/a.png" onerror="alert(1))',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<style>@import "javascript:alert(1)";</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel=stylesheet href=javascript:alert(1)>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '[x](&#106;avascript:alert(1))',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '`<script>alert(1)</script>`',
  '<a href="https://example.org" onclick="alert(1)">x</a>',
  '@[video](javascript:alert(1))',
  '@[video](data:text/html,<script>alert(1)</script>)',
  '@[video](https://evil.example/embed/dQw4w9WgXcQ)',
  '@[video](https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ)',
  '@[video](https://www.youtube.com/watch?v=dQw4w9WgXcQ"onload="alert(1))',
  '@[video: "><script>alert(1)</script>](https://youtu.be/dQw4w9WgXcQ)',
  '@[video: " onload="alert(1)](https://youtu.be/dQw4w9WgXcQ)',
];

const DANGEROUS_TAGS = new Set([
  'script',
  'iframe',
  'svg',
  'object',
  'embed',
  'style',
  'form',
  'input',
  'button',
  'meta',
  'base',
  'link',
  'math',
  'details',
  'video',
  'audio',
  'source',
  'noscript',
  'textarea',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href']);

/** The one iframe a manual may hold: a video embed from the allow-list, sandboxed. */
const VIDEO_EMBED =
  /^https:\/\/(www\.youtube-nocookie\.com\/embed\/[\w-]{11}|www\.youtube\.com\/embed\/[\w-]{11}|player\.vimeo\.com\/video\/\d+)$/;
const SAFE_IFRAME_ATTRIBUTES = new Set([
  'src',
  'title',
  'width',
  'height',
  'allowfullscreen',
  'loading',
  'sandbox',
]);

function isVideoEmbed(attributes: Record<string, string>): boolean {
  return (
    VIDEO_EMBED.test(attributes.src ?? '') &&
    attributes.sandbox === 'allow-scripts allow-same-origin allow-presentation' &&
    Object.keys(attributes).every((name) => SAFE_IFRAME_ATTRIBUTES.has(name))
  );
}

/**
 * True when rendered HTML, read as a browser would, holds an element or attribute that could run
 * or load script. Escaped text and attribute values that merely look like markup are inert.
 */
export function looksDangerous(html: string): boolean {
  let dangerous = false;
  const parser = new Parser({
    onopentag(name, attributes) {
      if (DANGEROUS_TAGS.has(name) && !(name === 'iframe' && isVideoEmbed(attributes)))
        dangerous = true;
      for (const [attribute, value] of Object.entries(attributes)) {
        if (attribute.startsWith('on')) dangerous = true;
        // Browsers ignore whitespace and control characters inside a URL's scheme.
        const scheme = [...value]
          .filter((ch) => ch.charCodeAt(0) > 0x20)
          .join('')
          .toLowerCase();
        if (URL_ATTRIBUTES.has(attribute) && /^(javascript|vbscript|data):/.test(scheme))
          dangerous = true;
      }
    },
  });
  parser.write(html);
  parser.end();
  return dangerous;
}
