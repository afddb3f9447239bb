import { DateTime } from 'luxon';
import type { Slot } from '../../bookings/availability';
import type { Refusal } from '../../bookings/rules';
import type { EquipmentResponse } from '../../equipment/equipment.response';
import { FORM_KEY_FIELD } from '../booking-form';
import type { BookingPolicy } from '../../equipment/policy';
import { keptValues, type PageContext } from './context';
import { minutesLabel } from './format';
import { BookingQuestions } from './booking-questions';
import { Layout, PostForm } from './layout';
import { bookingLengths, LengthOptions, TimePicker } from './time-picker';
import { statusWords } from './lab';

export interface LoanDay {
  date: string;
  open: boolean;
  /** Whether the viewer could borrow the kit from that day. */
  free: boolean;
  /** Why not, when the kit is there but not for this viewer. */
  reason: Refusal | null;
}

export interface DevicePageProps {
  ctx: PageContext;
  device: EquipmentResponse;
  date: string;
  previousDate: string | null;
  nextDate: string;
  /** Stations: the day's slots, available only where this viewer could book. */
  slots: Slot[];
  /** Stations: why this viewer cannot book that day at all, when one reason holds. */
  dayReason: Refusal | null;
  /** Loan kits: the coming days, free or not. */
  loanDays: LoanDay[];
  /** Set when the signed-in patron still needs the device's orientation. */
  needsOrientation: boolean;
  /** The signed-in patron's own bookings of the device that day: not offered for waiting. */
  ownTimes?: { start: Date; end: Date }[];
  /** The booking form's one-time key. */
  formKey: string;
}

/** Why the viewer cannot book, in the page's words where it can say more than the rule. */
function WhyNot({ props, reason }: { props: DevicePageProps; reason: Refusal }) {
  const { ctx, device, date } = props;
  const days = device.policy.maxAdvanceDays;
  let text = <>{reason.message}</>;
  if (reason.code === 'TOO_FAR_AHEAD') {
    const opens = DateTime.fromISO(date, { zone: ctx.zone }).minus({ days }).toISODate()!;
    text = (
      <>
        Booking opens {days} {days === 1 ? 'day' : 'days'} ahead: you can book this day from{' '}
        {ctx.style.longDate(opens)}.
      </>
    );
  } else if (reason.code === 'AGE_RESTRICTED' && device.minAge > 0) {
    text = (
      <>
        You must be {device.minAge} or older to book {device.name}.
      </>
    );
  } else if (reason.code === 'ORIENTATION_REQUIRED' && props.needsOrientation) {
    const walkthrough = device.manuals[0];
    text = walkthrough ? (
      <>
        This device needs an orientation first:{' '}
        <a href={`/manuals/${walkthrough.slug}`}>take the walkthrough</a>, or ask at the desk for a
        short demo.
      </>
    ) : (
      <>This device needs an orientation first: ask at the desk for a short demo.</>
    );
  }
  return (
    <p class="notice" role="note">
      {text}
    </p>
  );
}

/** The different reasons some free times cannot be booked, once each. */
function reasonsOf(slots: Slot[]): Refusal[] {
  const seen = new Map<string, Refusal>();
  for (const s of slots) if (s.reason) seen.set(s.reason.message, s.reason);
  return [...seen.values()];
}

/** The device's rules in a patron's words. */
export function ruleLines(device: EquipmentResponse): string[] {
  const p: BookingPolicy = device.policy;
  const lines: string[] = [];
  if (device.kind === 'loan') {
    lines.push(`Borrow it for up to ${Math.round(p.maxMinutes / 1440)} days.`);
  } else {
    lines.push(
      `Book from ${minutesLabel(p.minMinutes)} up to ${minutesLabel(p.maxMinutes)} at a time, starting on the ${minutesLabel(p.slotMinutes)} mark.`,
    );
  }
  lines.push(`Book up to ${p.maxAdvanceDays} days ahead.`);
  if (p.minNoticeMinutes > 0)
    lines.push(`Book at least ${minutesLabel(p.minNoticeMinutes)} before you start.`);
  lines.push(
    `You can hold ${p.maxActivePerPatron} ${p.maxActivePerPatron === 1 ? 'booking' : 'bookings'} of this kind at once${
      device.kind === 'station' ? `, and up to ${minutesLabel(p.maxMinutesPerWeek)} a week` : ''
    }.`,
  );
  if (p.bufferMinutes > 0 && device.kind === 'station')
    lines.push(`The lab keeps ${minutesLabel(p.bufferMinutes)} after each booking to reset it.`);
  if (device.minAge > 0) lines.push(`For patrons aged ${device.minAge} and over.`);
  if (p.groups?.length)
    lines.push(
      `For patrons in the ${p.groups.join(', ')} ${p.groups.length === 1 ? 'group' : 'groups'} only.`,
    );
  if (device.requiresOrientation)
    lines.push('Before your first booking, finish its walkthrough or an orientation with staff.');
  return lines;
}

function DayPicker({ ctx, device, date, previousDate, nextDate }: DevicePageProps) {
  return (
    <div class="day-picker">
      <form method="get" action={`/equipment/${device.slug}`} aria-label="Choose a day">
        <label for="date">Day</label>
        <input id="date" name="date" type="date" value={date} required />
        <button type="submit">Show free times</button>
      </form>
      <p class="day-steps">
        {previousDate ? (
          <a href={`/equipment/${device.slug}?date=${previousDate}`}>
            ← {ctx.style.date(previousDate, ctx.now)}
          </a>
        ) : null}
        <a href={`/equipment/${device.slug}?date=${nextDate}`}>
          {ctx.style.date(nextDate, ctx.now)} →
        </a>
      </p>
    </div>
  );
}

function StationTimes(props: DevicePageProps) {
  const { ctx, device, date, slots, dayReason, formKey } = props;
  const free = slots.filter((s) => s.available);
  const refused = reasonsOf(slots);
  const signedIn = Boolean(ctx.user);
  return (
    <section aria-labelledby="times">
      <h2 id="times">Free times on {ctx.style.longDate(date)}</h2>
      <DayPicker {...props} />
      {slots.length === 0 ? (
        <p>{dayReason?.code === 'CLOSED' ? dayReason.message : 'The lab is closed that day.'}</p>
      ) : free.length === 0 && dayReason ? (
        <WhyNot props={props} reason={dayReason} />
      ) : free.length === 0 ? (
        <>
          <p>
            {refused.length
              ? 'No time is left that day that you can book.'
              : 'Every time is taken that day. Try another day, or join the waiting list below.'}
          </p>
          {refused.map((r) => (
            <WhyNot key={r.message} props={props} reason={r} />
          ))}
        </>
      ) : !signedIn ? (
        <>
          <p>
            <a href={`/login?next=${encodeURIComponent(ctx.path)}`}>Sign in</a> to book one of these
            times:
          </p>
          <ul class="times">
            {free.map((s) => (
              <li key={s.start.toISOString()}>{ctx.style.time(s.start)}</li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <TimePicker
            ctx={ctx}
            action={`/equipment/${device.slug}/book`}
            label="Book a time"
            date={date}
            free={free}
            policy={device.policy}
            length={device.policy.minMinutes}
            legend="Start at (free times)"
            buttonHint="book from this time"
            formKey={formKey}
            ask
          />
          {refused.length ? (
            <p class="hint">
              Other free times that day cannot be booked: {refused.map((r) => r.message).join(' ')}
            </p>
          ) : null}
        </>
      )}
      <Waitlist {...props} />
    </section>
  );
}

function Waitlist({ ctx, device, slots, date, dayReason, ownTimes = [] }: DevicePageProps) {
  // Times free but refused to this patron are not worth waiting for; nor is a day they cannot
  // book, nor their own booking.
  const taken = slots.filter(
    (s) =>
      !s.available &&
      !s.reason &&
      s.start >= ctx.now &&
      !ownTimes.some((own) => own.start < s.end && s.start < own.end),
  );
  if (ctx.user?.role !== 'patron' || taken.length === 0 || device.status !== 'available')
    return null;
  if (dayReason) return null;
  const waitAction = `/equipment/${device.slug}/waitlist`;
  const kept = keptValues(ctx, waitAction);
  const length = Number(kept?.minutes) || device.policy.minMinutes;
  return (
    <details class="waitlist" open={kept ? true : undefined}>
      <summary>Taken times: join the waiting list</summary>
      <p>
        If the time frees up, it is booked for the first patron on the list, who is told by e-mail.
      </p>
      <PostForm ctx={ctx} action={waitAction} label="Join the waiting list">
        <input type="hidden" name="date" value={date} />
        <p>
          <label for="wait-minutes">How long</label>
          <select id="wait-minutes" name="minutes">
            <LengthOptions lengths={bookingLengths(device.policy)} chosen={length} />
          </select>
        </p>
        <ul class="times">
          {taken.map((s) => (
            <li key={s.start.toISOString()}>
              <button type="submit" name="start" value={s.start.toISOString()}>
                {ctx.style.timeRange(s.start, s.end)}
                <span class="visually-hidden"> is taken — join the waiting list</span>
              </button>
            </li>
          ))}
        </ul>
      </PostForm>
    </details>
  );
}

function loanDayWords(day: LoanDay): string {
  if (!day.open) return 'lab closed';
  if (day.free) return 'free';
  if (day.reason?.code === 'TOO_FAR_AHEAD') return 'not open for booking yet';
  return day.reason ? 'not for you' : 'taken';
}

function LoanTimes(props: DevicePageProps) {
  const { ctx, device, loanDays, formKey } = props;
  const firstFree = loanDays.find((d) => d.free)?.date ?? '';
  // A reason that keeps the viewer from every day (age, orientation, a pause) is said once.
  const blocked = firstFree ? null : (loanDays.find((d) => d.reason)?.reason ?? null);
  const kept = keptValues(ctx, `/equipment/${device.slug}/book`);
  return (
    <section aria-labelledby="times">
      <h2 id="times">Borrow this kit</h2>
      <p>Pick it up at the desk on the first day and bring it back by closing time on the last.</p>
      {blocked ? (
        <WhyNot props={{ ...props, date: loanDays.find((d) => d.reason)!.date }} reason={blocked} />
      ) : ctx.user ? (
        <PostForm ctx={ctx} action={`/equipment/${device.slug}/book`} label="Borrow this kit">
          <input type="hidden" name={FORM_KEY_FIELD} value={formKey} />
          <p>
            <label for="from">Pick-up day</label>
            <input id="from" name="from" type="date" value={kept?.from ?? firstFree} required />
          </p>
          <p>
            <label for="to">Return day</label>
            <input id="to" name="to" type="date" value={kept?.to ?? firstFree} required />
          </p>
          <BookingQuestions policy={device.policy} kept={kept} />
          <p>
            <button type="submit">Reserve the kit</button>
          </p>
        </PostForm>
      ) : (
        <p>
          <a href={`/login?next=${encodeURIComponent(ctx.path)}`}>Sign in</a> to reserve it.
        </p>
      )}
      <h3>The next two weeks</h3>
      <ul class="loan-days">
        {loanDays.map((d) => (
          <li key={d.date}>
            {ctx.style.date(d.date, ctx.now)}: {loanDayWords(d)}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DevicePage(props: DevicePageProps) {
  const { ctx, device, needsOrientation } = props;
  return (
    <Layout ctx={ctx} title={device.name}>
      <p class="breadcrumb">
        <a href="/">Equipment</a> › {device.categoryName}
      </p>
      <h1>{device.name}</h1>
      <div class={device.photo ? 'device-intro with-photo' : 'device-intro'}>
        {device.photo ? (
          <img class="device-photo" src={device.photo.src} alt={device.photo.alt} />
        ) : null}
        <div>
          <p class="meta">
            {device.kind === 'loan' ? 'Kit to borrow' : 'Station in the lab'}
            {device.location ? ` · ${device.location}` : ''}
          </p>
          <p class={`status status-${device.status}`}>{statusWords(device.status)}</p>
          <p>{device.description}</p>
        </div>
      </div>
      <section aria-labelledby="rules">
        <h2 id="rules">The rules</h2>
        <ul>
          {ruleLines(device).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {needsOrientation ? (
          <p class="notice" role="note">
            You are not certified for this device yet. Finish its walkthrough below, or ask at the
            desk for an orientation, before you book.
          </p>
        ) : null}
      </section>
      <section aria-labelledby="manuals">
        <h2 id="manuals">Walkthroughs</h2>
        {device.manuals.length ? (
          <ul>
            {device.manuals.map((m) => (
              <li key={m.slug}>
                <a href={`/manuals/${m.slug}`}>{m.title}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>No walkthrough yet: staff at the desk will show you how it works.</p>
        )}
      </section>
      {device.status !== 'available' ? (
        <p class="notice">
          This device is {statusWords(device.status).toLowerCase()} and cannot be booked now.
        </p>
      ) : device.kind === 'loan' ? (
        <LoanTimes {...props} />
      ) : (
        <StationTimes {...props} />
      )}
    </Layout>
  );
}
