import { Foundation1764400000000 } from './1764400000000-foundation';

/** Every migration, oldest first. */
export const migrations = [Foundation1764400000000];
