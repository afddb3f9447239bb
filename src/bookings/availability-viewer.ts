import { Brackets, In, Repository } from 'typeorm';
import type { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import type { CertificationsService } from '../certifications/certifications.service';
import { toDbInstant } from '../database/instant';
import type { Equipment } from '../equipment/equipment.entity';
import type { ManualsService } from '../manuals/manuals.service';
import { ANONYMOUS, type ViewerFacts } from './availability-rules';
import { Booking, LIVE_STATUSES } from './booking.entity';
import { type Interval, localWeek, RULES } from './rules';

/** Who is looking at availability: nobody signed in, or the signed-in user. */
export type Viewer = User | null;

export interface ViewerSources {
  bookings: Repository<Booking>;
  accounts: AccountsService;
  certifications: CertificationsService;
  manuals: ManualsService;
}

/**
 * What the booking rules need to know about the viewer for each device, with the queries the
 * booking engine makes for one request made once for the whole span: the viewer's bookings of
 * these devices, their certifications and, for certified devices, walkthroughs to re-read.
 */
export async function gatherViewerFacts(
  sources: ViewerSources,
  viewer: Viewer,
  devices: Equipment[],
  span: Interval,
  now: Date,
  zone: string,
): Promise<Map<string, ViewerFacts>> {
  if (viewer?.role !== 'patron') {
    // Staff book on a patron's behalf as walk-ins, so only the rules about the time apply.
    const facts = viewer ? { ...ANONYMOUS, walkIn: true } : ANONYMOUS;
    return new Map(devices.map((d) => [d.id, facts]));
  }
  const weeks = { start: localWeek(span.start, zone).start, end: localWeek(span.end, zone).end };
  const [bookings, certifications] = await Promise.all([
    devices.length ? ownBookings(sources.bookings, viewer, devices, weeks, now) : [],
    sources.certifications.listFor(viewer.id),
  ]);
  const certifiedUntil = new Map(certifications.map((c) => [c.equipmentId, c.expiresAt]));
  const patron = { age: sources.accounts.ageOf(viewer), suspendedUntil: viewer.suspendedUntil };
  const facts = new Map<string, ViewerFacts>();
  for (const device of devices) {
    const mine = bookings.filter((b) => b.equipmentId === device.id);
    const until = certifiedUntil.get(device.id);
    const certified = until !== undefined && (until === null || until > now);
    facts.set(device.id, {
      rules: RULES,
      walkIn: false,
      patron,
      certifiedUntil: until,
      rereads:
        device.requiresOrientation && certified
          ? await sources.manuals.rereadsFor(viewer.id, device.id)
          : [],
      activeCount: mine.filter((b) => LIVE_STATUSES.includes(b.status) && b.end > now).length,
      usage: mine,
    });
  }
  return facts;
}

/** The patron's live bookings that have not ended, and their live or finished ones in the weeks. */
function ownBookings(
  bookings: Repository<Booking>,
  patron: User,
  devices: Equipment[],
  weeks: Interval,
  now: Date,
): Promise<Booking[]> {
  return bookings
    .createQueryBuilder('b')
    .select(['b.id', 'b.equipmentId', 'b.start', 'b.end', 'b.status'])
    .where({ patronId: patron.id, equipmentId: In(devices.map((d) => d.id)) })
    .andWhere(
      new Brackets((q) =>
        q
          .where('b.status IN (:...live) AND b.end_at > :now')
          .orWhere('b.status IN (:...counted) AND b.start_at < :weekEnd AND b.end_at > :weekStart'),
      ),
      {
        live: LIVE_STATUSES,
        counted: [...LIVE_STATUSES, 'completed'],
        now: toDbInstant(now),
        weekStart: toDbInstant(weeks.start),
        weekEnd: toDbInstant(weeks.end),
      },
    )
    .getMany();
}
