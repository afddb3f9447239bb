export const DIFFICULTIES = [
  'very-easy',
  'easy',
  'moderate',
  'difficult',
  'very-difficult',
] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** At most this many pictures illustrate a step. */
export const MAX_STEP_IMAGES = 3;

/** A picture of a step: an image uploaded to `/api/images`, and what it shows in words. */
export interface StepImage {
  /** `/api/images/<sha256>.<ext>`: only images uploaded here, never outside addresses. */
  src: string;
  /** Required: what the picture shows, for people who cannot see it. */
  alt: string;
}

export interface ManualStep {
  title: string;
  /** Markdown. Callouts are blockquotes opening with **Note:**, **Caution:** or **Reminder:**. */
  body: string;
  images: StepImage[];
}

/** One revision of a walkthrough: everything a patron reads, in markdown. */
export interface ManualContent {
  title: string;
  summary: string;
  difficulty: Difficulty;
  /** A range, in minutes: `[15, 30]`. */
  estimatedMinutes: [number, number];
  /** Equipment slugs the walkthrough is for. */
  equipment: string[];
  /** What to bring: a USB drive, your tapes. */
  bring: string[];
  /** Slugs of walkthroughs to read first. */
  prerequisites: string[];
  /** Finishing it certifies the patron for its equipment. */
  grantsCertification: boolean;
  introduction: string;
  steps: ManualStep[];
  conclusion: string;
}

/** The words a search looks through. */
export function searchableText(content: ManualContent): string {
  return [
    content.summary,
    content.introduction,
    ...content.steps.flatMap((s) => [s.title, s.body, ...s.images.map((i) => i.alt)]),
    content.conclusion,
  ].join('\n');
}

/**
 * Content as stored before steps had images reads with `images: []`, so that old revisions,
 * drafts and newly parsed files compare equal when nothing but that differs.
 */
export function withStepImages(content: ManualContent): ManualContent {
  const steps = content.steps as (Omit<ManualStep, 'images'> & { images?: StepImage[] })[];
  return { ...content, steps: steps.map((step) => ({ ...step, images: step.images ?? [] })) };
}

/** Reads manual content from a JSON column, filling in what older rows lack. */
export const manualContentColumn = {
  from: (value: ManualContent | null): ManualContent | null =>
    value ? withStepImages(value) : value,
  to: (value: ManualContent | null): ManualContent | null => value,
};
