/** Why a step of a walkthrough cannot be recorded yet, in a patron's words. */
export interface ProgressRefusal {
  code: 'STEPS_SKIPPED' | 'PREREQUISITE_REQUIRED';
  message: string;
}

/** What the progress rules need: the walkthrough as published and how far the patron got. */
export interface ProgressFacts {
  /** The step being recorded, 1-based. */
  step: number;
  /** The furthest step already reached in this revision; 0 when not started. */
  reached: number;
  /** Whether the patron already finished this revision. */
  finished: boolean;
  stepTitles: string[];
  grantsCertification: boolean;
  /** Prerequisite walkthroughs the patron has not finished, in the order the manual lists them. */
  unfinishedPrerequisites: { slug: string; title: string }[];
}

/**
 * Steps are done one at a time: step n needs step n - 1 reached. Going back to a step already
 * done, or doing it again, is fine.
 */
export function stepsInOrder(facts: ProgressFacts): ProgressRefusal | null {
  const next = facts.reached + 1;
  if (facts.step <= next) return null;
  const title = facts.stepTitles[next - 1];
  return {
    code: 'STEPS_SKIPPED',
    message: `You have not done step ${next}${title ? ` ("${title}")` : ''} yet. Steps are done one at a time: do step ${next} next.`,
  };
}

/**
 * A walkthrough that certifies its patron can only be finished once the walkthroughs it builds on
 * are finished; otherwise finishing it would let a patron book equipment without them.
 */
export function prerequisitesFinished(facts: ProgressFacts): ProgressRefusal | null {
  const last = facts.stepTitles.length;
  if (!facts.grantsCertification || facts.step < last || facts.finished) return null;
  const first = facts.unfinishedPrerequisites[0];
  if (!first) return null;
  return {
    code: 'PREREQUISITE_REQUIRED',
    message: `Finish the walkthrough "${first.title}" (/manuals/${first.slug}) first: this one certifies you only after that. Your progress here is kept; come back for the last step.`,
  };
}

/** The first rule that refuses recording the step, or null. */
export function progressRefusal(facts: ProgressFacts): ProgressRefusal | null {
  return stepsInOrder(facts) ?? prerequisitesFinished(facts);
}
