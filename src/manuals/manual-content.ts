export const DIFFICULTIES = [
  'very-easy',
  'easy',
  'moderate',
  'difficult',
  'very-difficult',
] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface ManualStep {
  title: string;
  /** Markdown. Callouts are blockquotes opening with **Note:**, **Caution:** or **Reminder:**. */
  body: string;
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
    ...content.steps.flatMap((s) => [s.title, s.body]),
    content.conclusion,
  ].join('\n');
}
