import type { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import type { Equipment } from '../equipment/equipment.entity';
import { heldPolicy } from '../equipment/policy';
import type { ManualsService } from '../manuals/manuals.service';
import { ANONYMOUS, type ViewerFacts } from './availability-rules';
import { LIVE_STATUSES } from './booking.entity';
import type { PatronFactsCache } from './patron-facts';
import type { BookingsRepository } from './bookings.repository';
import { overlaps } from './availability';
import { type Interval, localWeek, RULES } from './rules';

/** Who is looking at availability: nobody signed in, or the signed-in user. */
export type Viewer = User | null;

export interface ViewerSources {
  bookings: BookingsRepository;
  /** Upcoming bookings one patron may hold across the lab (0: no cap). */
  labCap: number;
  accounts: AccountsService;
  manuals: ManualsService;
  patronFacts: PatronFactsCache;
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
  // One read of the patron's bookings serves the weekly quota, the daily limits (whole
  // categories) and the lab's cap, as the booking engine's one read does.
  const { bookings, certifiedUntil } = await sources.bookings.ofPatronForAvailability(
    viewer.id,
    weeks,
    now,
  );
  const certified = (device: Equipment) => {
    const until = certifiedUntil.get(device.id);
    return until !== undefined && (until === null || until > now);
  };
  const oriented = devices.filter((d) => d.requiresOrientation && certified(d)).map((d) => d.id);
  const rereads = await sources.patronFacts.rereads(viewer.id, oriented, () =>
    sources.manuals.rereadsOf(viewer.id, oriented),
  );
  const live = bookings.filter(
    (b) => LIVE_STATUSES.includes(b.status) && b.end.getTime() > now.getTime(),
  );
  const counted = bookings.filter((b) => overlaps(b, weeks));
  const patron = {
    age: sources.accounts.ageOf(viewer),
    suspendedUntil: viewer.suspendedUntil,
    group: sources.accounts.groupOf(viewer) ?? '',
    verified: viewer.verifiedAt !== null,
  };
  const facts = new Map<string, ViewerFacts>();
  for (const device of devices) {
    const limited = heldPolicy(device).maxMinutesPerDay;
    facts.set(device.id, {
      rules: RULES,
      walkIn: false,
      patron,
      certifiedUntil: certifiedUntil.get(device.id),
      rereads: rereads.get(device.id) ?? [],
      activeCount: live.filter((b) => b.equipmentId === device.id).length,
      usage: bookings.filter((b) => b.equipmentId === device.id),
      // Daily limits count a whole category's live and finished bookings.
      categoryUsage: limited ? counted.filter((b) => b.category === device.categorySlug) : [],
      liveInLab: sources.labCap ? live.length : 0,
      labCap: sources.labCap,
    });
  }
  return facts;
}
