import { BadRequestException, Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { addDays, localDate, startOfLocalDay } from '../common/time';
import { AppConfig } from '../config/app-config';
import type { Equipment } from '../equipment/equipment.entity';
import type { Outage } from '../equipment/outage.entity';
import { heldPolicy } from '../equipment/policy';
import { ManualsService } from '../manuals/manuals.service';
import { Blocked, dayGrid, overlaps, Slot, slotFree } from './availability';
import { bookableFor, type DeviceFacts, judgeDay } from './availability-rules';
import { gatherViewerFacts, type Viewer } from './availability-viewer';
import { PatronFactsCache } from './patron-facts';
import { BookingsRepository } from './bookings.repository';
import { LabCatalog } from './lab-catalog';
import { isOverdueKit } from './overdue-kit';
import type { Interval, Refusal } from './rules';

export interface DayAvailability {
  date: string;
  timezone: string;
  open: Interval[];
  slots: Slot[];
  /** Whether any time that day can be booked (by the viewer, when one is given). */
  bookable: boolean;
  /** Why the viewer cannot book that day, when one reason holds for all of it. */
  reason?: Refusal;
}

/**
 * Whose eyes to look with. Without it, availability is the lab's own view: free or taken. With a
 * viewer (null for someone not signed in), a time is available only if that viewer could book it.
 */
export interface ViewerOption {
  viewer: Viewer;
}

/** The end of time, as far as a kit that has not come back is concerned. */
const UNTIL_RETURNED = new Date(8.64e15);

/** The longest span the "what's free" search looks at. */
const MAX_SEARCH_DAYS = 31;

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly catalog: LabCatalog,
    private readonly accounts: AccountsService,
    private readonly manuals: ManualsService,
    private readonly patronFacts: PatronFactsCache,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The day's slots of one device, each marked free or not. */
  async day(slug: string, date: string, as?: ViewerOption): Promise<DayAvailability> {
    const [day] = await this.days(slug, date, date, as);
    return day;
  }

  /**
   * Each day's slots from `from` to `to` (local dates), with one read of the device, the hours,
   * the bookings and the viewer's facts for the whole span.
   */
  async days(
    slug: string,
    from: string,
    to: string,
    as?: ViewerOption,
  ): Promise<DayAvailability[]> {
    await this.catalog.refresh();
    const device = await this.catalog.device(slug);
    const policy = heldPolicy(device);
    const zone = this.config.timezone;
    // A shortest booking from the last slot may end days later (a kit's), so read those hours too.
    const reach = Math.ceil(policy.minMinutes / 1440);
    const hours = (await this.catalog.daysOfAreas(from, addDays(to, reach), [device.areaSlug])).get(
      device.areaSlug,
    )!;
    const grids = hours
      .filter(({ date }) => date <= to)
      .map(({ date, open }) => ({
        date,
        open,
        grid: dayGrid(date, open, policy.slotMinutes, device.kind, zone),
      }));
    const span = {
      start: startOfLocalDay(from, zone),
      end: startOfLocalDay(addDays(to, reach + 1), zone),
    };
    const [blocked, outages] = await this.busy([device.id], span, policy.bufferMinutes);
    const now = this.clock.now();
    const clear = (request: Interval) =>
      slotFree(request, policy.bufferMinutes, blocked, outages, now);
    if (!as) {
      const usable = device.status === 'available';
      return grids.map(({ date, open, grid }) => {
        const slots = grid.map((slot) => ({ ...slot, available: usable && clear(slot) }));
        return { date, timezone: zone, open, slots, bookable: slots.some((s) => s.available) };
      });
    }
    const viewer = (await this.viewerFacts(as, [device], span)).get(device.id)!;
    const facts: DeviceFacts = {
      now,
      zone,
      style: houseStyle(this.config),
      policy,
      device,
      days: new Map(hours.map((d) => [d.date, d])),
      outages,
    };
    return grids.map(({ date, open, grid }) => ({
      date,
      timezone: zone,
      open,
      ...judgeDay(date, grid, clear, facts, viewer),
    }));
  }

  /**
   * One local day of several devices (the day grid): for each, the answer `day` gives, with one
   * read of the hours, the bookings, the outages and the viewer's facts for all of them.
   */
  async dayOfDevices(
    devices: Equipment[],
    date: string,
    as: ViewerOption,
  ): Promise<Map<string, DayAvailability>> {
    if (devices.length === 0) return new Map();
    const zone = this.config.timezone;
    const policies = devices.map((d) => heldPolicy(d));
    const reach = Math.max(0, ...policies.map((p) => Math.ceil(p.minMinutes / 1440)));
    await this.catalog.refresh();
    const hoursOf = await this.catalog.daysOfAreas(
      date,
      addDays(date, reach),
      devices.map((d) => d.areaSlug),
    );
    const span = {
      start: startOfLocalDay(date, zone),
      end: startOfLocalDay(addDays(date, reach + 1), zone),
    };
    const [blocked, outages] = await this.busy(
      devices.map((d) => d.id),
      span,
      Math.max(0, ...policies.map((p) => p.bufferMinutes)),
    );
    const viewers = await this.viewerFacts(as, devices, span);
    const now = this.clock.now();
    return new Map(
      devices.map((device, i) => {
        const hours = hoursOf.get(device.areaSlug)!;
        const open = hours[0].open;
        const days = new Map(hours.map((d) => [d.date, d]));
        const policy = policies[i];
        const own = blocked.filter((b) => b.equipmentId === device.id);
        const down = outages.filter((o) => o.equipmentId === device.id);
        const clear = (request: Interval) =>
          slotFree(request, policy.bufferMinutes, own, down, now);
        const grid = dayGrid(date, open, policy.slotMinutes, device.kind, zone);
        const style = houseStyle(this.config);
        const facts: DeviceFacts = { now, zone, style, policy, device, days, outages: down };
        const judged = judgeDay(date, grid, clear, facts, viewers.get(device.id)!);
        return [device.id, { date, timezone: zone, open, ...judged }];
      }),
    );
  }

  /**
   * Devices free, open and in service for the whole interval (of one area, when given); with a
   * viewer, only those the viewer could book for it.
   */
  async freeDuring(
    request: Interval,
    category?: string,
    as?: ViewerOption,
    area?: string,
  ): Promise<Equipment[]> {
    if (request.end <= request.start) throw new BadRequestException('end must be later than start');
    if (request.end.getTime() - request.start.getTime() > MAX_SEARCH_DAYS * 86_400_000) {
      throw new BadRequestException(`start and end may be at most ${MAX_SEARCH_DAYS} days apart`);
    }
    const zone = this.config.timezone;
    await this.catalog.refresh();
    const devices = (await this.catalog.devices({ category, area })).filter(
      (d) => d.status === 'available',
    );
    const firstDay = localDate(request.start, zone);
    const lastDay = localDate(new Date(request.end.getTime() - 1), zone);
    const daysOf = await this.catalog.daysOfAreas(
      firstDay,
      lastDay,
      devices.map((d) => d.areaSlug),
    );
    const [blocked, outages] = await this.busy(
      devices.map((d) => d.id),
      request,
      Math.max(0, ...devices.map((d) => heldPolicy(d).bufferMinutes)),
    );
    const now = this.clock.now();
    const free = devices.filter((device) => {
      const policy = heldPolicy(device);
      const days = daysOf.get(device.areaSlug)!;
      const open =
        device.kind === 'loan'
          ? days.every((d) => d.open.length > 0)
          : days.length === 1 &&
            days[0].open.some(
              (o) =>
                o.start.getTime() <= request.start.getTime() &&
                request.end.getTime() <= o.end.getTime(),
            );
      return (
        open &&
        slotFree(
          request,
          policy.bufferMinutes,
          blocked.filter((b) => b.equipmentId === device.id),
          outages.filter((o) => o.equipmentId === device.id),
          now,
        )
      );
    });
    if (!as) return free;
    const viewers = await this.viewerFacts(as, free, request);
    // One map of opening days per area, so devices of one area are seen to share their days.
    const daysByArea = new Map(
      [...daysOf].map(([area, days]) => [area, new Map(days.map((d) => [d.date, d]))]),
    );
    const style = houseStyle(this.config);
    const bookable = bookableFor(
      request,
      free.map((device) => ({
        device: {
          now,
          zone,
          style,
          policy: heldPolicy(device),
          device,
          days: daysByArea.get(device.areaSlug)!,
          outages: outages.filter((o) => o.equipmentId === device.id),
        },
        viewer: viewers.get(device.id)!,
      })),
    );
    return free.filter((_, i) => bookable[i]);
  }

  private viewerFacts(as: ViewerOption, devices: Equipment[], span: Interval) {
    return gatherViewerFacts(
      {
        bookings: this.bookings,
        labCap: this.config.maxLiveBookingsPerPatron,
        accounts: this.accounts,
        manuals: this.manuals,
        patronFacts: this.patronFacts,
      },
      as.viewer,
      devices,
      span,
      this.clock.now(),
      this.config.timezone,
    );
  }

  /**
   * Live bookings and outages of the devices that a booking within the span could meet: a booking
   * keeps its device until its blocked end (its buffer included), and a request keeps it for its
   * own buffer past its end, so bookings starting up to `bufferMinutes` after the span count too.
   */
  private async busy(
    deviceIds: string[],
    span: Interval,
    bufferMinutes: number,
  ): Promise<[(Blocked & { equipmentId: string })[], Outage[]]> {
    if (deviceIds.length === 0) return [[], []];
    const reach = { start: span.start, end: new Date(span.end.getTime() + bufferMinutes * 60_000) };
    const now = this.clock.now();
    const [bookings, outages] = await Promise.all([
      this.bookings.blocking(deviceIds, reach, now),
      Promise.all(deviceIds.map((id) => this.catalog.outages(id, span))).then((each) =>
        each.flat(),
      ),
    ]);
    // A kit still out after its due date keeps the kit until it is returned.
    const blocked = bookings.map((b) =>
      isOverdueKit(b, b, now)
        ? { equipmentId: b.equipmentId, start: b.start, blockedUntil: UNTIL_RETURNED }
        : b,
    );
    return [blocked, outages.filter((o) => overlaps(o, span))];
  }
}
