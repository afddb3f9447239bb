import { registerDecorator, ValidationOptions } from 'class-validator';
import { DATE_RANGE_WORDS, isRealDate, parseInstant } from './time';

/** An ISO 8601 date-time with an offset or `Z`. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an ISO 8601 date-time with a real offset, ${DATE_RANGE_WORDS}, e.g. 2026-12-01T15:00:00-05:00`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null,
      },
    });
}

/** A real calendar date written `YYYY-MM-DD`. */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be a date written YYYY-MM-DD, ${DATE_RANGE_WORDS}`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isRealDate(value) },
    });
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A local date `YYYY-MM-DD` or an ISO 8601 date-time with an offset. */
export function IsInstantOrDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInstantOrDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be a date YYYY-MM-DD or an ISO 8601 date-time with an offset, ${DATE_RANGE_WORDS}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && (isRealDate(value) || parseInstant(value) !== null),
      },
    });
}

/** Control characters (CR, LF, tab, …) and the Unicode line and paragraph separators. */
const LINE_BREAKING = /[\p{Cc}\u2028\u2029]/u;

/**
 * One line of text: no line breaks or other control characters. Names and titles end up in
 * e-mail subjects and calendar entries, where a line break would start a new header or property.
 */
export function IsOneLine(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isOneLine',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be one line of text, without line breaks`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !LINE_BREAKING.test(value),
      },
    });
}
