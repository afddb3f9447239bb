import { formatInstant } from '../common/time';
import { ManualContentDto } from './dto/manual-content.dto';
import type { Difficulty } from './manual-content';
import type { ManualRevision } from './manual-revision.entity';
import type { Manual } from './manual.entity';
import { renderMarkdown } from './render';

export class MinutesRange {
  min: number;
  max: number;
}

export class ManualSummaryResponse {
  slug: string;
  title: string;
  summary: string;
  /** Equipment slugs. */
  equipment: string[];
  difficulty: Difficulty;
  estimatedMinutes: MinutesRange;
  grantsCertification: boolean;
  revision: number;
}

export class StepImageResponse {
  /** `/api/images/<sha256>.<ext>`, relative to the service. */
  src: string;
  alt: string;
}

export class ManualStepResponse {
  number: number;
  title: string;
  /** Markdown source. */
  body: string;
  /** Rendered and sanitised. */
  html: string;
  /** Up to 3 pictures of the step, each with its alt text. */
  images: StepImageResponse[];
}

export class ManualResponse extends ManualSummaryResponse {
  bring: string[];
  prerequisites: string[];
  introduction: string;
  introductionHtml: string;
  steps: ManualStepResponse[];
  conclusion: string;
  conclusionHtml: string;
  publishedAt: string;
  /** The public page, as printed under the QR code. */
  url: string;
}

export class ManualRevisionResponse {
  number: number;
  title: string;
  publishedAt: string;
  /** Null for revisions imported from files. */
  author: string | null;
  changesUsage: boolean;
  note: string | null;
  published: boolean;
}

export class ManualDraftResponse {
  slug: string;
  /** False when there is no draft and this is the published content. */
  isDraft: boolean;
  publishedRevision: number | null;
  /** The same shape `PUT /api/manuals/:slug/draft` takes. */
  content: ManualContentDto;
}

export function toManualSummary(manual: Manual, revision: ManualRevision): ManualSummaryResponse {
  const c = revision.content;
  return {
    slug: manual.slug,
    title: c.title,
    summary: c.summary,
    equipment: c.equipment,
    difficulty: c.difficulty,
    estimatedMinutes: { min: c.estimatedMinutes[0], max: c.estimatedMinutes[1] },
    grantsCertification: c.grantsCertification,
    revision: revision.number,
  };
}

export function toManualResponse(
  manual: Manual,
  revision: ManualRevision,
  publicUrl: string,
  zone: string,
): ManualResponse {
  const c = revision.content;
  return {
    ...toManualSummary(manual, revision),
    bring: c.bring,
    prerequisites: c.prerequisites,
    introduction: c.introduction,
    introductionHtml: renderMarkdown(c.introduction),
    steps: c.steps.map((step, index) => ({
      number: index + 1,
      title: step.title,
      body: step.body,
      html: renderMarkdown(step.body),
      images: step.images.map((image) => ({ src: image.src, alt: image.alt })),
    })),
    conclusion: c.conclusion,
    conclusionHtml: renderMarkdown(c.conclusion),
    publishedAt: formatInstant(revision.publishedAt, zone),
    url: `${publicUrl}/manuals/${manual.slug}`,
  };
}

export function toRevisionResponse(
  revision: ManualRevision,
  manual: Manual,
  zone: string,
): ManualRevisionResponse {
  return {
    number: revision.number,
    title: revision.content.title,
    publishedAt: formatInstant(revision.publishedAt, zone),
    author: revision.author?.name ?? null,
    changesUsage: revision.changesUsage,
    note: revision.note,
    published: revision.number === manual.publishedRevision,
  };
}
