import { diffArrays } from 'diff';
import type { ManualContent } from './manual-content';
import { renderMarkdown } from './render';

/** Tags, runs of spaces and words: the pieces two renderings of a text are compared by. */
export function tokensOf(html: string): string[] {
  return html.match(/<[^>]*>|\s+|[^\s<]+/g) ?? [];
}

function mark(tokens: string[], tag: 'ins' | 'del'): string {
  return tokens
    .map((t) => (t.startsWith('<') || /^\s+$/.test(t) ? t : `<${tag}>${t}</${tag}>`))
    .join('');
}

/**
 * Two renderings of a text, each whole, with the words only the first has wrapped in `<del>` and
 * the words only the second has wrapped in `<ins>`. Tags are compared but never wrapped, so each
 * side stays the HTML it was.
 */
export function markWordChanges(
  before: string,
  after: string,
): { before: string; after: string; changed: boolean } {
  let left = '';
  let right = '';
  let changed = false;
  for (const part of diffArrays(tokensOf(before), tokensOf(after))) {
    if (part.added) {
      right += mark(part.value, 'ins');
      changed = true;
    } else if (part.removed) {
      left += mark(part.value, 'del');
      changed = true;
    } else {
      left += part.value.join('');
      right += part.value.join('');
    }
  }
  return { before: left, after: right, changed };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ComparedSection {
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

type Part = { label: string; html: string };

function partsOf(content: ManualContent | null): Part[] {
  if (!content) return [];
  const words = (items: string[]) => (items.length ? items.join(', ') : 'none');
  const details =
    `<p>Difficulty: ${escapeHtml(content.difficulty)}. ` +
    `Takes ${content.estimatedMinutes[0]} to ${content.estimatedMinutes[1]} minutes. ` +
    `Devices: ${escapeHtml(words(content.equipment))}. ` +
    `Bring: ${escapeHtml(words(content.bring))}. ` +
    `Read first: ${escapeHtml(words(content.prerequisites))}. ` +
    `Certifies: ${content.grantsCertification ? 'yes' : 'no'}.</p>`;
  return [
    { label: 'Title', html: `<p>${escapeHtml(content.title)}</p>` },
    { label: 'Summary', html: `<p>${escapeHtml(content.summary)}</p>` },
    { label: 'Details', html: details },
    { label: 'Introduction', html: renderMarkdown(content.introduction) },
    ...content.steps.map((step, i) => ({
      label: `Step ${i + 1}`,
      html:
        `<h4>${escapeHtml(step.title)}</h4>` +
        step.images
          .map(
            (image) =>
              `<figure><img src="${escapeHtml(image.src)}" alt="" width="80"> ` +
              `<figcaption>Picture: ${escapeHtml(image.alt)}</figcaption></figure>`,
          )
          .join('') +
        renderMarkdown(step.body),
    })),
    { label: 'Conclusion', html: renderMarkdown(content.conclusion) },
  ];
}

/**
 * The published text and the draft, part by part (steps paired by their place), each rendered
 * as patrons would see it, with the words that changed marked on both sides.
 */
export function compareContents(
  published: ManualContent | null,
  draft: ManualContent,
): ComparedSection[] {
  const before = new Map(partsOf(published).map((p) => [p.label, p.html]));
  const after = new Map(partsOf(draft).map((p) => [p.label, p.html]));
  const labels = [...new Set([...after.keys(), ...before.keys()])];
  return labels.map((label) => ({
    label,
    ...markWordChanges(before.get(label) ?? '', after.get(label) ?? ''),
  }));
}
