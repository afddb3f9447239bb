import { BadRequestException, UnprocessableEntityException } from '@nestjs/common';
import type { BookingPolicy, BookingQuestion } from '../equipment/policy';

export type Answer = string | number | boolean;

export interface CheckedAnswers {
  answers: Record<string, Answer> | null;
  termsAcceptedAt: Date | null;
}

/**
 * The booking's answers checked against the device's questions and terms: each answer of its
 * question's type, every required one given (`ANSWER_REQUIRED`), the terms accepted when there
 * are some (`TERMS_NOT_ACCEPTED`). Unknown questions and answers of the wrong kind are `400`.
 */
export function checkAnswers(
  policy: Pick<BookingPolicy, 'questions' | 'terms'>,
  given: Record<string, unknown> | undefined,
  acceptTerms: boolean | undefined,
  now: Date,
): CheckedAnswers {
  const questions = policy.questions ?? [];
  const answers: Record<string, Answer> = {};
  for (const id of Object.keys(given ?? {})) {
    if (!questions.some((q) => q.id === id))
      throw new BadRequestException(`answers.${id} answers no question of this equipment`);
  }
  for (const question of questions) {
    const value = answerOf(question, given?.[question.id]);
    if (value === null) {
      if (question.required)
        throw new UnprocessableEntityException({
          code: 'ANSWER_REQUIRED',
          message: `Please answer “${question.label}”.`,
        });
      continue;
    }
    answers[question.id] = value;
  }
  const terms = policy.terms?.trim();
  if (terms && acceptTerms !== true)
    throw new UnprocessableEntityException({
      code: 'TERMS_NOT_ACCEPTED',
      message: 'Please read and accept the terms of use to book this equipment.',
    });
  return {
    answers: Object.keys(answers).length ? answers : null,
    termsAcceptedAt: terms ? now : null,
  };
}

/** One answer as its question's type, or null when none was given. */
function answerOf(question: BookingQuestion, raw: unknown): Answer | null {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))
    return null;
  const field = `answers.${question.id}`;
  switch (question.type) {
    case 'text': {
      if (typeof raw !== 'string') throw new BadRequestException(`${field} must be text`);
      if (raw.length > 2000)
        throw new BadRequestException(`${field} must be at most 2000 characters`);
      return raw.trim();
    }
    case 'number': {
      const value =
        typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new BadRequestException(`${field} must be a number`);
      return value;
    }
    case 'choice': {
      if (typeof raw !== 'string' || !question.options?.includes(raw))
        throw new BadRequestException(
          `${field} must be one of: ${(question.options ?? []).join(', ')}`,
        );
      return raw;
    }
    case 'yes-no': {
      const value = raw === 'yes' ? true : raw === 'no' ? false : raw;
      if (typeof value !== 'boolean') throw new BadRequestException(`${field} must be yes or no`);
      return value;
    }
  }
}
