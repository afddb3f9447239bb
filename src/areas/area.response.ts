import type { Area } from './area.entity';

export class AreaResponse {
  /** e.g. `dml`, `teen-room`. */
  slug: string;
  name: string;
  location: string;
  description: string;
  /** Youngest age that may book here; null: no limit. */
  minAge: number | null;
  /** Oldest age that may book here; null: no limit (`TOO_OLD` above it). */
  maxAge: number | null;
}

export function toAreaResponse(area: Area): AreaResponse {
  return {
    slug: area.slug,
    name: area.name,
    location: area.location,
    description: area.description,
    minAge: area.minAge,
    maxAge: area.maxAge,
  };
}
