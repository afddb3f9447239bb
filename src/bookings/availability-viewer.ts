import type { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import type { CertificationsService } from '../certifications/certifications.service';
import type { Equipment } from '../equipment/equipment.entity';
import { effectivePolicy } from '../equipment/policy';
import type { ManualsService } from '../manuals/manuals.service';
import { ANONYMOUS, type ViewerFacts } from './availability-rules';
import { LIVE_STATUSES } from './booking.entity';
import type { BookingsRepository } from './bookings.repository';
import { type Interval, localWeek, RULES } from './rules';

/** Who is looking at availability: nobody signed in, or the signed-in user. */
export type Viewer = User | null;

export interface ViewerSources {
  bookings: BookingsRepository;
  /** Upcoming bookings one patron may hold across the lab (0: no cap). */
  labCap: number;
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
    devices.length
      ? sources.bookings.ofPatronForAvailability(
          viewer,
          devices.map((d) => d.id),
          weeks,
          now,
        )
      : [],
    sources.certifications.listFor(viewer.id),
  ]);
  // Daily limits count a whole category, so its other devices' bookings are asked for too.
  const limited = [
    ...new Set(
      devices
        .filter((d) => effectivePolicy(d.category.policy, d.policyOverrides).maxMinutesPerDay)
        .map((d) => d.categorySlug),
    ),
  ];
  const inCategories = limited.length
    ? await sources.bookings.ofPatronInCategories(undefined, {
        patronId: viewer.id,
        categories: limited,
        statuses: [...LIVE_STATUSES, 'completed'],
        time: weeks,
      })
    : [];
  const liveInLab = sources.labCap
    ? await sources.bookings.countLiveOfPatronInLab(undefined, { patronId: viewer.id, now })
    : 0;
  const certifiedUntil = new Map(certifications.map((c) => [c.equipmentId, c.expiresAt]));
  const patron = {
    age: sources.accounts.ageOf(viewer),
    suspendedUntil: viewer.suspendedUntil,
    group: sources.accounts.groupOf(viewer) ?? '',
    verified: viewer.verifiedAt !== null,
  };
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
      categoryUsage: inCategories.filter((b) => b.category === device.categorySlug),
      liveInLab,
      labCap: sources.labCap,
    });
  }
  return facts;
}
