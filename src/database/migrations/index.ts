import { Foundation1764400000000 } from './1764400000000-foundation';
import { Bookings1764500000000 } from './1764500000000-bookings';
import { Manuals1764600000000 } from './1764600000000-manuals';
import { Audit1764700000000 } from './1764700000000-audit';
import { Loans1764800000000 } from './1764800000000-loans';
import { Images1764850000000 } from './1764850000000-images';
import { BenchIndexes1764900000000 } from './1764900000000-bench-indexes';
import { Outbox1765000000000 } from './1765000000000-outbox';
import { Displacement1765030000000 } from './1765030000000-displacement';
import { SignInFailures1765010000000 } from './1765010000000-sign-in-failures';
import { SecretLinks1765070000000 } from './1765070000000-secret-links';
import { PatronGroups1765100000000 } from './1765100000000-patron-groups';
import { PatronVerification1765110000000 } from './1765110000000-patron-verification';
import { ImagesInDatabase1765120000000 } from './1765120000000-images-in-database';
import { Approvals1765130000000 } from './1765130000000-approvals';
import { Series1765140000000 } from './1765140000000-series';
import { BookingAnswers1765150000000 } from './1765150000000-booking-answers';
import { Areas1765160000000 } from './1765160000000-areas';
import { CatalogVersion1765190000000 } from './1765190000000-catalog-version';
import { CatalogNotify1765200000000 } from './1765200000000-catalog-notify';
import { SessionNotify1765210000000 } from './1765210000000-session-notify';
import { PatronFactsNotify1765220000000 } from './1765220000000-patron-facts-notify';
import { ManualLinksNotify1765230000000 } from './1765230000000-manual-links-notify';
import { OverlapGuardSeeks1765240000000 } from './1765240000000-overlap-guard-seeks';
import { PatronEndIndex1765250000000 } from './1765250000000-patron-end-index';

/** Every migration, oldest first. */
export const migrations = [
  Foundation1764400000000,
  Bookings1764500000000,
  Manuals1764600000000,
  Audit1764700000000,
  Loans1764800000000,
  Images1764850000000,
  BenchIndexes1764900000000,
  Outbox1765000000000,
  SignInFailures1765010000000,
  Displacement1765030000000,
  SecretLinks1765070000000,
  PatronGroups1765100000000,
  PatronVerification1765110000000,
  ImagesInDatabase1765120000000,
  Approvals1765130000000,
  Series1765140000000,
  BookingAnswers1765150000000,
  Areas1765160000000,
  CatalogVersion1765190000000,
  CatalogNotify1765200000000,
  SessionNotify1765210000000,
  PatronFactsNotify1765220000000,
  ManualLinksNotify1765230000000,
  OverlapGuardSeeks1765240000000,
  PatronEndIndex1765250000000,
];
