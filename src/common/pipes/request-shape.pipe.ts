import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** No request of this API nests deeper; deeper input is refused before anything recurses into it. */
const MAX_DEPTH = 16;
/** Keys that class-transformer would silently drop; a request naming them is refused instead. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What is wrong with the text in `value`: a string that is not well-formed Unicode (a lone
 * surrogate), or nesting deeper than any request needs. Null when it is fine.
 */
export function textProblem(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) return `${path || 'text'} must be valid Unicode text`;
    // PostgreSQL text cannot hold NUL, and no field of this API needs it.
    return value.includes('\u0000') ? `${path || 'text'} must not contain NUL characters` : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return `${path || 'the request'} is nested too deeply`;
  const entries = Array.isArray(value)
    ? value.map((item: unknown, index) => [String(index), item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    if (!Array.isArray(value) && RESERVED_KEYS.has(key))
      return `${path ? `${path}.${key}` : key} is not a field of this request`;
    const found = textProblem(item, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Runs before validation and refuses what validators should never see: a body that is not a
 * JSON object where a DTO is expected, nesting deeper than any request needs, and text with lone
 * surrogates or NUL (not valid text, not storable in PostgreSQL, and validator.js's isEmail throws
 * on a lone surrogate because it calls encodeURI), and `__proto__`/`constructor` keys, which the
 * whitelist never sees because they are dropped before it runs.
 */
@Injectable()
export class RequestShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const dto =
      typeof metadata.metatype === 'function' &&
      ![Object, Array, String, Number, Boolean].includes(metadata.metatype as never);
    // No body at all (a bare POST /complete) is an empty object; a non-object body is an error.
    if (metadata.type === 'body' && dto && value === undefined) return {};
    if (
      metadata.type === 'body' &&
      dto &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new BadRequestException('The request body must be a JSON object');
    }
    const problem = textProblem(value, metadata.data ?? '');
    if (problem) throw new BadRequestException(problem);
    return value;
  }
}
