import type { BookingWithParties } from '../../bookings/booking-notifier';
import type { Equipment } from '../../equipment/equipment.entity';
import type { ManualLink } from '../../equipment/equipment.response';
import type { Outage } from '../../equipment/outage.entity';
import type { PageContext } from './context';
import { deskStatus } from './desk-status';
import { whenLabel } from './format';
import { PostForm } from './layout';

export interface AgendaRow {
  device: Equipment;
  bookings: BookingWithParties[];
  /** Outages of the device that touch the day. */
  outages: Outage[];
}

/** The day the agenda shows, with its neighbours, as local dates `YYYY-MM-DD`. */
export interface AgendaDay {
  date: string;
  today: string;
  previous: string;
  next: string;
  /** The area whose desk this is; every area when undefined. */
  area?: string;
}

/** How often the agenda reloads itself with JavaScript on. */
const REFRESH_SECONDS = 30;

export function agendaUrl(date: string, area?: string): string {
  return area ? `/desk?date=${date}&area=${encodeURIComponent(area)}` : `/desk?date=${date}`;
}

function overlapsOutage(booking: BookingWithParties, outages: Outage[]): boolean {
  return outages.some((o) => o.start < booking.end && o.end > booking.start);
}

/** The manuals linked to the device, each with its printable copy to hand over. */
function Walkthroughs({ manuals }: { manuals: ManualLink[] }) {
  return (
    <>
      {manuals.map((m) => (
        <span key={m.slug} class="row-link">
          <a href={`/manuals/${m.slug}`}>
            Walkthrough<span class="visually-hidden"> ({m.title})</span>
          </a>{' '}
          (
          <a href={`/manuals/${m.slug}/print`}>
            print<span class="visually-hidden"> {m.title}</span>
          </a>
          )
        </span>
      ))}
    </>
  );
}

/** Move and cancel for a booking not yet under way; cancel asks once more before it acts. */
function ChangeActions({
  ctx,
  booking,
  date,
}: {
  ctx: PageContext;
  booking: BookingWithParties;
  date: string;
}) {
  if (booking.status !== 'confirmed' && booking.status !== 'pending') return null;
  return (
    <>
      <a class="row-link" href={`/desk/bookings/${booking.id}/move?date=${date}`}>
        Move<span class="visually-hidden"> {booking.code}</span>
      </a>
      <details class="confirm">
        <summary>
          Cancel<span class="visually-hidden"> {booking.code}</span>
        </summary>
        <PostForm
          ctx={ctx}
          action={`/desk/bookings/${booking.id}/cancel`}
          label={`Cancel ${booking.code}`}
        >
          <input type="hidden" name="date" value={date} />
          <p>
            {booking.patron.name} is e-mailed that the booking is canceled, and the time is free at
            once.
          </p>
          <button type="submit" class="danger">
            Yes, cancel {booking.code}
          </button>
        </PostForm>
      </details>
    </>
  );
}

function BookingRow({
  ctx,
  booking,
  outages,
  manuals,
  date,
  graceMinutes,
}: {
  ctx: PageContext;
  booking: BookingWithParties;
  outages: Outage[];
  manuals: ManualLink[];
  date: string;
  graceMinutes: number;
}) {
  const loanKit = booking.equipment.kind === 'loan';
  const status = deskStatus({ ...booking, loanKit }, ctx.now, graceMinutes);
  const hit = overlapsOutage(booking, outages) && booking.status === 'confirmed';
  const live = booking.status === 'confirmed' || booking.status === 'checked_in';
  return (
    <tr>
      <td data-label="Time">
        {loanKit
          ? whenLabel(booking, ctx.style, ctx.now)
          : ctx.style.timeRange(booking.start, booking.end)}
      </td>
      <td data-label="Patron">{booking.patron.name}</td>
      <td data-label="Code">
        <span class="code">{booking.code}</span>
      </td>
      <td data-label="Status">
        <span class={`desk-status desk-status-${status.tone}`}>{status.words}</span>
        {hit ? <span class="desk-warning"> · Device out of service then: move it</span> : null}
      </td>
      <td data-label="Action" class="row-actions">
        {loanKit && live ? (
          <a href="/desk/loans">
            {booking.status === 'confirmed' ? 'Hand over' : 'Take back'} at the loan desk
            <span class="visually-hidden"> {booking.code}</span>
          </a>
        ) : null}
        {loanKit ? null : <StationActions ctx={ctx} booking={booking} />}
        <ChangeActions ctx={ctx} booking={booking} date={date} />
        <Walkthroughs manuals={manuals} />
      </td>
    </tr>
  );
}

function DeviceAgenda({
  ctx,
  row,
  manuals,
  date,
  graceMinutes,
}: {
  ctx: PageContext;
  row: AgendaRow;
  manuals: ManualLink[];
  date: string;
  graceMinutes: number;
}) {
  const { device, bookings, outages } = row;
  const headingId = `agenda-${device.slug}`;
  return (
    <section aria-labelledby={headingId} class="agenda-device">
      <h3 id={headingId}>
        {device.name}
        {device.status === 'out_of_service' ? ' (out of service)' : ''}
      </h3>
      {outages.map((o) => (
        <p key={o.id} class="notice">
          Out of service {ctx.style.range(o.start, o.end, ctx.now)}: {o.reason}
        </p>
      ))}
      {bookings.length ? (
        <div class="table-scroll">
          <table class="agenda-table">
            <caption class="visually-hidden">
              {ctx.style.longDate(date)} on {device.name}
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Patron</th>
                <th scope="col">Code</th>
                <th scope="col">Status</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => (
                <BookingRow
                  key={b.id}
                  ctx={ctx}
                  booking={b}
                  outages={outages}
                  manuals={manuals}
                  date={date}
                  graceMinutes={graceMinutes}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="meta">Nothing booked this day.</p>
      )}
    </section>
  );
}

/** Previous day, today, next day, and any day by its date: links and a GET form, no script. */
function DaySwitcher({ ctx, day }: { ctx: PageContext; day: AgendaDay }) {
  return (
    <div class="day-switcher">
      <nav aria-label="Days">
        <ul>
          <li>
            <a href={agendaUrl(day.previous, day.area)}>
              ← Previous day
              <span class="visually-hidden"> ({ctx.style.longDate(day.previous)})</span>
            </a>
          </li>
          <li>
            <a
              href={agendaUrl(day.today, day.area)}
              aria-current={day.date === day.today ? 'date' : undefined}
            >
              Today
            </a>
          </li>
          <li>
            <a href={agendaUrl(day.next, day.area)}>
              Next day<span class="visually-hidden"> ({ctx.style.longDate(day.next)})</span> →
            </a>
          </li>
        </ul>
      </nav>
      <form method="get" action="/desk" aria-label="Show another day" class="inline">
        <label for="agenda-date">Day</label>{' '}
        {day.area ? <input type="hidden" name="area" value={day.area} /> : null}
        <input id="agenda-date" name="date" type="date" required value={day.date} />{' '}
        <button type="submit" class="secondary">
          Show the day
        </button>
      </form>
    </div>
  );
}

/**
 * The day's agenda. With JavaScript its body reloads itself every half minute (app.js), unless
 * someone is working in it; what changed is said once, politely.
 */
export function AgendaSection({
  ctx,
  day,
  agenda,
  walkthroughs,
  graceMinutes,
}: {
  ctx: PageContext;
  day: AgendaDay;
  agenda: AgendaRow[];
  walkthroughs: Map<string, ManualLink[]>;
  graceMinutes: number;
}) {
  // Devices with bookings or an outage that day get a table; the rest are named in one line.
  const busy = agenda.filter((a) => a.bookings.length || a.outages.length);
  const quiet = agenda.filter((a) => !busy.includes(a));
  const isToday = day.date === day.today;
  return (
    <section aria-labelledby="agenda" data-refresh-seconds={String(REFRESH_SECONDS)}>
      <h2 id="agenda">
        {isToday ? 'Today’s agenda' : `Agenda for ${ctx.style.longDate(day.date)}`}
      </h2>
      <DaySwitcher ctx={ctx} day={day} />
      <div data-agenda-body>
        <p class="meta">
          {isToday ? '' : `${ctx.style.longDate(day.date)}. `}
          <span data-agenda-clock>As of {ctx.style.time(ctx.now)}.</span> Canceled bookings are left
          out. <a href={agendaUrl(day.date, day.area)}>Refresh</a>
        </p>
        {busy.length ? (
          busy.map((row) => (
            <DeviceAgenda
              key={row.device.slug}
              ctx={ctx}
              row={row}
              manuals={walkthroughs.get(row.device.id) ?? []}
              date={day.date}
              graceMinutes={graceMinutes}
            />
          ))
        ) : (
          <p>Nothing is booked {isToday ? 'today' : 'that day'}.</p>
        )}
        {quiet.length && busy.length ? (
          <p class="meta">
            Nothing booked {isToday ? 'today' : 'that day'} on:{' '}
            {quiet.map((row) => row.device.name).join(', ')}.
          </p>
        ) : null}
      </div>
      <p class="visually-hidden" aria-live="polite" data-agenda-news></p>
    </section>
  );
}

/** Check in a station's booking that is due, or finish one in use: the desk's two buttons. */
export function StationActions({
  ctx,
  booking,
  buttonClass = '',
}: {
  ctx: PageContext;
  booking: { id: string; code: string; status: string };
  buttonClass?: string;
}) {
  if (booking.status !== 'confirmed' && booking.status !== 'checked_in') return null;
  const checkIn = booking.status === 'confirmed';
  const verb = checkIn ? 'Check in' : 'Finish';
  return (
    <PostForm
      ctx={ctx}
      action={`/desk/bookings/${booking.id}/${checkIn ? 'check-in' : 'complete'}`}
      class="inline"
      label={`${verb} ${booking.code}`}
    >
      <button
        type="submit"
        class={[buttonClass, checkIn ? '' : 'secondary'].join(' ').trim() || undefined}
      >
        {verb}
        <span class="visually-hidden"> {booking.code}</span>
      </button>
    </PostForm>
  );
}
