import { MAX_STEP_IMAGES, type ManualStep, type StepImage } from '../manuals/manual-content';
import { field } from './pages.service';

export const MAX_STEPS = 30;

function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** One step as the editor's fields for step `i` (0-based) send it. */
export function stepFromForm(body: unknown, i: number): ManualStep {
  const images: StepImage[] = [];
  for (let j = 0; j < MAX_STEP_IMAGES; j++) {
    const src = field(body, `step-${i}-image-${j}-src`);
    if (src) images.push({ src, alt: field(body, `step-${i}-image-${j}-alt`) ?? '' });
  }
  return {
    title: field(body, `step-${i}-title`) ?? '',
    body: field(body, `step-${i}-body`) ?? '',
    images,
  };
}

/** The editor form as manual content, in the shape the API's DTO checks. */
export function contentFromForm(body: unknown): Record<string, unknown> {
  const count = Math.min(Number(field(body, 'stepCount') ?? 0) || 0, MAX_STEPS);
  const steps: ManualStep[] = [];
  for (let i = 0; i < count; i++) steps.push(stepFromForm(body, i));
  const equipment = (body as Record<string, unknown>)?.equipment;
  return {
    title: field(body, 'title') ?? '',
    summary: field(body, 'summary') ?? '',
    difficulty: field(body, 'difficulty') ?? '',
    estimatedMinutes: [Number(field(body, 'minMinutes')), Number(field(body, 'maxMinutes'))],
    equipment: Array.isArray(equipment)
      ? equipment
      : typeof equipment === 'string'
        ? [equipment]
        : [],
    bring: lines(field(body, 'bring')),
    prerequisites: (field(body, 'prerequisites') ?? '').split(/[\s,]+/).filter(Boolean),
    grantsCertification: field(body, 'grantsCertification') === 'true',
    introduction: field(body, 'introduction') ?? '',
    steps,
    conclusion: field(body, 'conclusion') ?? '',
  };
}

export interface StepAction {
  verb: 'save' | 'add' | 'unpic' | 'up' | 'down' | 'remove' | 'upload';
  /** The step the button belongs to (0-based), when it belongs to one. */
  step: number | null;
  picture: number | null;
}

const VERBS = new Set(['save', 'add', 'unpic', 'up', 'down', 'remove', 'upload']);

/** Reads the pressed button's value (`up:2`, `unpic:1:0`, `upload:3`, `add`, `save`). */
export function parseStepAction(value: string | undefined): StepAction {
  const [verb, at, picture] = (value ?? 'save').split(':');
  const step = at !== undefined && /^\d+$/.test(at) ? Number(at) : null;
  return {
    verb: (VERBS.has(verb) ? verb : 'save') as StepAction['verb'],
    step,
    picture: picture !== undefined && /^\d+$/.test(picture) ? Number(picture) : null,
  };
}

/** Moves, adds or removes a step as the button pressed asks; saving alone leaves them be. */
export function applyStepAction(steps: ManualStep[], action: StepAction): ManualStep[] {
  const result = [...steps];
  const { verb, step: i, picture } = action;
  if (verb === 'add' && result.length < MAX_STEPS)
    result.push({ title: 'New step', body: '', images: [] });
  if (i === null || i >= result.length) return result;
  if (verb === 'unpic' && picture !== null)
    result[i] = { ...result[i], images: result[i].images.filter((_, j) => j !== picture) };
  if (verb === 'up' && i > 0) [result[i - 1], result[i]] = [result[i], result[i - 1]];
  if (verb === 'down' && i < result.length - 1)
    [result[i], result[i + 1]] = [result[i + 1], result[i]];
  if (verb === 'remove' && result.length > 1) result.splice(i, 1);
  return result;
}

/** The step (0-based) to come back to once the action is done, or null for the top of the page. */
export function stepToReturnTo(action: StepAction, stepCount: number): number | null {
  if (action.verb === 'add') return stepCount - 1;
  if (action.step === null || stepCount === 0) return null;
  const moved =
    action.verb === 'up'
      ? action.step - 1
      : action.verb === 'down'
        ? action.step + 1
        : action.verb === 'remove'
          ? action.step - 1
          : action.step;
  return Math.min(Math.max(moved, 0), stepCount - 1);
}
