import { parse, stringify } from 'yaml';
import { SLUG_PATTERN } from '../common/validators';
import {
  DIFFICULTIES,
  Difficulty,
  MAX_STEP_IMAGES,
  ManualContent,
  ManualStep,
  StepImage,
} from './manual-content';

export class ManualSourceError extends Error {}

const CONCLUSION = 'Conclusion';

/**
 * A step's picture is a markdown image line of an uploaded image, right under the step's
 * heading: `![The gain knobs](/api/images/<sha256>.png)`. `\`, `[` and `]` in the alt text are
 * escaped with a backslash.
 */
const IMAGE_LINE =
  /^!\[((?:\\.|[^\\[\]])*)\]\((\/api\/images\/[0-9a-f]{64}\.(?:png|jpg|webp|gif))\)$/;

/** A step's body may not open with a line that would read back as one of its pictures. */
export const NO_LEADING_IMAGE_LINE = /^(?!\s*!\[[^\n]*\]\(\/api\/images\/)/;

function imageLine(image: StepImage): string {
  return `![${image.alt.replace(/[\\[\]]/g, '\\$&')}](${image.src})\n`;
}

/** A `##` section: the heading's text and what follows it. */
function splitSection(section: string): { title: string; text: string } {
  const newline = section.indexOf('\n');
  return newline === -1
    ? { title: section.trim(), text: '' }
    : { title: section.slice(0, newline).trim(), text: section.slice(newline + 1) };
}

/** The heading's text, then the picture lines under it, then the body. */
function parseStep({ title, text }: { title: string; text: string }, where: string): ManualStep {
  const lines = text.split('\n');
  const images: StepImage[] = [];
  for (let match; (match = IMAGE_LINE.exec(lines[0]?.trimEnd() ?? '')); lines.shift()) {
    images.push({ src: match[2], alt: match[1].replace(/\\(.)/g, '$1').trim() });
  }
  if (images.length > MAX_STEP_IMAGES)
    throw new ManualSourceError(
      `${where}: step "${title}" has ${images.length} pictures; at most ${MAX_STEP_IMAGES}`,
    );
  if (images.some((i) => !i.alt))
    throw new ManualSourceError(`${where}: every picture of step "${title}" needs alt text`);
  return { title, body: lines.join('\n').trim(), images };
}

/**
 * Reads a `manuals/<slug>.md` file: YAML front matter, an introduction, one `##` heading per
 * step and a closing `## Conclusion`.
 */
export function parseManualSource(
  text: string,
  where = 'manual',
): { slug: string; content: ManualContent } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text.replace(/^\uFEFF/, ''));
  if (!match) throw new ManualSourceError(`${where}: must start with --- front matter ---`);
  const meta = (parse(match[1]) ?? {}) as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new ManualSourceError(`${where}: ${field} must be ${expected}`);
  };
  const text_ = (field: string) =>
    typeof meta[field] === 'string' && meta[field].trim()
      ? meta[field].trim()
      : fail(field, 'a non-empty string');
  const list = (field: string) => {
    const value = meta[field] ?? [];
    return Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? value.map((v) => v.trim())
      : fail(field, 'a list of strings');
  };
  const slug = text_('slug');
  if (!SLUG_PATTERN.test(slug)) fail('slug', 'lower-case words joined by hyphens');
  const difficulty = text_('difficulty') as Difficulty;
  if (!DIFFICULTIES.includes(difficulty)) fail('difficulty', DIFFICULTIES.join(', '));
  const minutes = meta.estimatedMinutes;
  const range =
    Array.isArray(minutes) &&
    minutes.length === 2 &&
    minutes.every((m) => Number.isInteger(m) && m > 0) &&
    minutes[0] <= minutes[1]
      ? ([minutes[0], minutes[1]] as [number, number])
      : fail('estimatedMinutes', 'a range [min, max] of whole minutes');

  const sections = match[2].split(/^## +/m);
  const introduction = sections.shift()!.trim();
  const parsed = sections.map(splitSection);
  const last = parsed.pop();
  if (!last || last.title !== CONCLUSION) fail('the last heading', `"## ${CONCLUSION}"`);
  const steps = parsed.map((section) => parseStep(section, where));
  if (steps.length === 0) fail('the manual', 'at least one ## step before the conclusion');

  return {
    slug,
    content: {
      title: text_('title'),
      summary: text_('summary'),
      difficulty,
      estimatedMinutes: range,
      equipment: list('equipment'),
      bring: list('bring'),
      prerequisites: list('prerequisites'),
      grantsCertification: meta.grantsCertification === true,
      introduction,
      steps,
      conclusion: last!.text.trim(),
    },
  };
}

/** Writes a manual back as its source file; parsing the result gives the same content. */
export function formatManualSource(slug: string, content: ManualContent): string {
  const scalar = (value: unknown) => stringify(value, { lineWidth: 0 }).trim();
  const line = (key: string, value: unknown) =>
    `${key}: ${Array.isArray(value) ? `[${value.map(scalar).join(', ')}]` : scalar(value)}\n`;
  const meta = [
    line('slug', slug),
    line('title', content.title),
    line('equipment', content.equipment),
    line('summary', content.summary),
    line('difficulty', content.difficulty),
    line('estimatedMinutes', content.estimatedMinutes),
    line('bring', content.bring),
    line('prerequisites', content.prerequisites),
    line('grantsCertification', content.grantsCertification),
  ].join('');
  const steps = content.steps
    .map((s) => {
      const pictures = s.images.map(imageLine).join('');
      return `## ${s.title}\n${pictures}${pictures && s.body ? '\n' : ''}${s.body}\n`;
    })
    .join('\n');
  return `---\n${meta}---\n${content.introduction}\n\n${steps}\n## ${CONCLUSION}\n${content.conclusion}\n`;
}
