import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateEquipmentDto } from '../equipment/dto/create-equipment.dto';
import { PolicyDto } from '../equipment/dto/policy.dto';
import { SLUG_PATTERN } from '../common/validators';
import type { BookingPolicy } from '../equipment/policy';
import { ClosureDto, OpeningIntervalDto } from '../hours/dto/hours.dto';

/** `seeds/` at the repository root, whether running from `src/` or `dist/`. */
export const SEEDS_DIR = join(__dirname, '..', '..', 'seeds');

export interface SeedArea {
  slug: string;
  name: string;
  location: string;
  description: string;
  minAge: number | null;
  maxAge: number | null;
}

export interface CatalogFile {
  areas: SeedArea[];
  categories: { slug: string; name: string; policy: BookingPolicy }[];
  equipment: CreateEquipmentDto[];
}

export interface HoursFile {
  /** The Digital Media Lab's week. */
  weekly: OpeningIntervalDto[];
  /** Whole-library closures. */
  closures: ClosureDto[];
  /** Other areas' weeks, by area slug. */
  areas: Record<string, { weekly: OpeningIntervalDto[] }>;
}

function checked<T extends object>(type: new () => T, value: unknown, where: string): T {
  const instance = plainToInstance(type, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length)
    throw new Error(
      `${where}: ${errors.map((e) => Object.values(e.constraints ?? { nested: `${e.property} is invalid` }).join(', ')).join('; ')}`,
    );
  return instance;
}

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(join(SEEDS_DIR, name), 'utf8'));
}

/** The seed catalog, validated by the same rules as the API, so a typo fails loudly at start. */
export function readCatalog(): CatalogFile {
  const raw = readJson('catalog.json') as {
    areas?: unknown[];
    categories: unknown[];
    equipment: unknown[];
  };
  const areas = (raw.areas ?? []).map((a, i) => {
    const { slug, name, location, description, minAge, maxAge } = a as Partial<SeedArea>;
    const age = (v: unknown) => v === undefined || v === null || Number.isInteger(v);
    if (!slug || !SLUG_PATTERN.test(slug) || !name || !age(minAge) || !age(maxAge))
      throw new Error(`seeds/catalog.json areas[${i}] needs a slug, a name and whole-number ages`);
    return {
      slug,
      name,
      location: location ?? '',
      description: description ?? '',
      minAge: minAge ?? null,
      maxAge: maxAge ?? null,
    };
  });
  const categories = raw.categories.map((c, i) => {
    const { slug, name, policy } = c as CatalogFile['categories'][number];
    const full = checked(PolicyDto, policy, `seeds/catalog.json categories[${i}].policy`);
    if (!slug || !name || Object.values(full).length < 8)
      throw new Error(`seeds/catalog.json categories[${i}] needs slug, name and a full policy`);
    return { slug, name, policy };
  });
  const equipment = raw.equipment.map((e, i) =>
    checked(CreateEquipmentDto, e, `seeds/catalog.json equipment[${i}]`),
  );
  return { areas, categories, equipment };
}

export function readHours(): HoursFile {
  const raw = readJson('hours.json') as {
    weekly: unknown[];
    closures: unknown[];
    areas?: Record<string, { weekly: unknown[] }>;
  };
  return {
    areas: Object.fromEntries(
      Object.entries(raw.areas ?? {}).map(([slug, { weekly }]) => [
        slug,
        {
          weekly: weekly.map((w, i) =>
            checked(OpeningIntervalDto, w, `seeds/hours.json areas.${slug}.weekly[${i}]`),
          ),
        },
      ]),
    ),
    weekly: raw.weekly.map((w, i) =>
      checked(OpeningIntervalDto, w, `seeds/hours.json weekly[${i}]`),
    ),
    closures: raw.closures.map((c, i) => checked(ClosureDto, c, `seeds/hours.json closures[${i}]`)),
  };
}
