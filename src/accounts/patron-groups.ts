import { ageOn } from '../common/time';

export type AgeGroup = 'child' | 'teen' | 'adult';

/** What a group name may look like: what ILSs call their patron types, lower-cased. */
export const GROUP_PATTERN = /^[a-z0-9][a-z0-9 ._-]{0,39}$/;

/** Groups are compared without regard to case or surrounding spaces; null for none. */
export function normaliseGroup(raw: string | null | undefined): string | null {
  const group = raw?.trim().toLowerCase().slice(0, 40);
  return group && GROUP_PATTERN.test(group) ? group : null;
}

/** Teens are 12 to 17, children under 12; no birth date reads as an adult. */
export function ageGroupOn(birthDate: string | null, today: string): AgeGroup {
  if (!birthDate) return 'adult';
  const age = ageOn(birthDate, today);
  return age >= 18 ? 'adult' : age >= 12 ? 'teen' : 'child';
}

/** A patron's group: the one staff or the ILS gave them, or else the one their age puts them in. */
export function patronGroupOn(
  patron: { patronGroup: string | null; birthDate: string | null },
  today: string,
): string {
  return patron.patronGroup ?? ageGroupOn(patron.birthDate, today);
}
