import type { Booking } from '../../bookings/booking.entity';
import type { Refusal } from '../../bookings/rules';
import type { ScheduleDay, ScheduleRow } from '../../bookings/schedule.service';
import type { Category } from '../../equipment/category.entity';
import { effectivePolicy } from '../../equipment/policy';
import { FORM_KEY_FIELD, newFormKey } from '../booking-form';
import { type GridCell, gridColumns, rowCells } from '../schedule-grid';
import { isStaff, type PageContext } from './context';
import { deskStatus } from './desk-status';
import { dayLabel, longDayLabel, timeLabel } from './format';
import { Layout, PostForm } from './layout';

export interface SchedulePageProps {
  ctx: PageContext;
  schedule: ScheduleDay;
  categories: Category[];
  category: string | undefined;
  previousDate: string;
  nextDate: string;
  graceMinutes: number;
}

type Cell = GridCell<Booking>;

/** The address of this page for another day, keeping the category chosen. */
function scheduleHref(date: string, category: string | undefined): string {
  const query = new URLSearchParams({ date, ...(category ? { category } : {}) });
  return `/schedule?${query.toString()}`;
}

function DaySwitcher(props: SchedulePageProps) {
  const { ctx, schedule, categories, category, previousDate, nextDate } = props;
  return (
    <div class="day-picker">
      <form method="get" action="/schedule" class="filters" aria-label="Choose a day and category">
        <p>
          <label for="date">Day</label>
          <input id="date" name="date" type="date" value={schedule.date} required />
        </p>
        <p>
          <label for="category">Category</label>
          <select id="category" name="category">
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug} selected={category === c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <button type="submit">Show</button>
        </p>
      </form>
      <p class="day-steps">
        <a href={scheduleHref(previousDate, category)}>
          ← <span class="visually-hidden">Previous day, </span>
          {dayLabel(previousDate, ctx.zone)}
        </a>
        <a href={scheduleHref(nextDate, category)}>
          <span class="visually-hidden">Next day, </span>
          {dayLabel(nextDate, ctx.zone)} →
        </a>
      </p>
    </div>
  );
}

/** A free time: a patron books it with one press; others are told how they could. */
function FreeCell({ ctx, row, cell }: { ctx: PageContext; row: ScheduleRow; cell: Cell }) {
  if (cell.kind !== 'free') return null;
  const { device } = row;
  const time = timeLabel(cell.slot.start, ctx.zone);
  const what = device.kind === 'loan' ? `${device.name}, all day` : `${device.name} at ${time}`;
  if (!ctx.user)
    return (
      <a href={`/login?next=${encodeURIComponent(ctx.path)}`}>
        Free<span class="visually-hidden"> — sign in to book {what}</span>
      </a>
    );
  if (isStaff(ctx))
    return (
      <a href="/desk#walk-in">
        Free<span class="visually-hidden"> — book {what} for a patron at the desk</span>
      </a>
    );
  const policy = effectivePolicy(device.category.policy, device.policyOverrides);
  return (
    <PostForm ctx={ctx} action={`/equipment/${device.slug}/book`} class="inline">
      <input type="hidden" name="date" value={row.day.date} />
      <input type="hidden" name={FORM_KEY_FIELD} value={newFormKey()} />
      {device.kind === 'loan' ? (
        <>
          <input type="hidden" name="from" value={row.day.date} />
          <input type="hidden" name="to" value={row.day.date} />
        </>
      ) : (
        <input type="hidden" name="minutes" value={String(policy.minMinutes)} />
      )}
      <button type="submit" name="start" value={cell.slot.start.toISOString()} class="cell-button">
        Book<span class="visually-hidden"> {what}</span>
      </button>
    </PostForm>
  );
}

/** A taken time: staff see who and act on it; anyone else sees it is taken, or theirs. */
function TakenCell({
  ctx,
  row,
  booking,
  graceMinutes,
}: {
  ctx: PageContext;
  row: ScheduleRow;
  booking: Booking;
  graceMinutes: number;
}) {
  const when = `${timeLabel(booking.start, ctx.zone)}–${timeLabel(booking.end, ctx.zone)}`;
  if (!isStaff(ctx)) {
    if (ctx.user && booking.patronId === ctx.user.id)
      return (
        <a href="/my/bookings">
          Yours<span class="visually-hidden"> — your booking {when}</span>
        </a>
      );
    return (
      <>
        Taken<span class="visually-hidden"> {when}</span>
      </>
    );
  }
  const loanKit = row.device.kind === 'loan';
  const status = deskStatus({ ...booking, loanKit }, ctx.now, graceMinutes);
  const walkthrough = row.manuals[0];
  return (
    <div class="cell-booking">
      <strong>{booking.patron.name}</strong>
      <span class={`desk-status desk-status-${status.tone}`}>{status.words}</span>
      <span class="code">{booking.code}</span>
      {loanKit && (booking.status === 'confirmed' || booking.status === 'checked_in') ? (
        <a href="/desk/loans">
          Loan desk<span class="visually-hidden"> for {booking.code}</span>
        </a>
      ) : null}
      {!loanKit && booking.status === 'confirmed' ? (
        <PostForm
          ctx={ctx}
          action={`/desk/bookings/${booking.id}/check-in`}
          class="inline"
          label={`Check in ${booking.code}`}
        >
          <button type="submit" class="cell-button">
            Check in<span class="visually-hidden"> {booking.code}</span>
          </button>
        </PostForm>
      ) : null}
      {!loanKit && booking.status === 'checked_in' ? (
        <PostForm
          ctx={ctx}
          action={`/desk/bookings/${booking.id}/complete`}
          class="inline"
          label={`Finish ${booking.code}`}
        >
          <button type="submit" class="cell-button secondary">
            Finish<span class="visually-hidden"> {booking.code}</span>
          </button>
        </PostForm>
      ) : null}
      {walkthrough ? (
        <a href={`/manuals/${walkthrough.slug}`}>
          Walkthrough<span class="visually-hidden"> — {walkthrough.title}</span>
        </a>
      ) : null}
    </div>
  );
}

function cellWords(cell: Cell): string {
  switch (cell.kind) {
    case 'closed':
      return 'Closed';
    case 'past':
      return 'Past';
    case 'unavailable':
      return 'Not free';
    case 'refused':
      return 'Can’t book';
    case 'free':
    case 'taken':
      return '';
  }
}

function GridRow({
  ctx,
  row,
  columns,
  graceMinutes,
}: {
  ctx: PageContext;
  row: ScheduleRow;
  columns: Date[];
  graceMinutes: number;
}) {
  const { device, day, bookings } = row;
  const cells = rowCells(columns, day.slots, bookings, ctx.now);
  return (
    <tr>
      <th scope="row">
        <a href={`/equipment/${device.slug}?date=${day.date}`}>{device.name}</a>
        {device.status === 'out_of_service' ? <span class="hint">Out of service</span> : null}
      </th>
      {cells.map((cell, i) => (
        <td
          key={i}
          colSpan={cell.span > 1 ? cell.span : undefined}
          class={`cell cell-${cell.kind}`}
          title={cell.kind === 'refused' ? cell.reason.message : undefined}
        >
          {cell.kind === 'free' ? (
            <FreeCell ctx={ctx} row={row} cell={cell} />
          ) : cell.kind === 'taken' ? (
            <TakenCell ctx={ctx} row={row} booking={cell.booking} graceMinutes={graceMinutes} />
          ) : (
            <>
              {cellWords(cell)}
              {cell.kind === 'refused' ? (
                <span class="visually-hidden"> — {cell.reason.message}</span>
              ) : null}
            </>
          )}
        </td>
      ))}
    </tr>
  );
}

/** Every different reason a free time cannot be booked, once each, for those who cannot hover. */
function reasonsOf(rows: ScheduleRow[]): Refusal[] {
  const seen = new Map<string, Refusal>();
  for (const { day } of rows)
    for (const slot of day.slots) if (slot.reason) seen.set(slot.reason.message, slot.reason);
  return [...seen.values()];
}

export function SchedulePage(props: SchedulePageProps) {
  const { ctx, schedule, graceMinutes } = props;
  const { date, hours, rows } = schedule;
  const columns = gridColumns(hours.open);
  const day = longDayLabel(date, ctx.zone);
  const reasons = reasonsOf(rows);
  return (
    <Layout ctx={ctx} title={`Schedule, ${day}`} wide>
      <h1>Schedule</h1>
      <p class="lede">
        Every device against the hours of the day.{' '}
        {isStaff(ctx)
          ? 'Each booking shows its patron and status, with what the desk can do about it.'
          : ctx.user
            ? 'Press Book in a free cell to book that time.'
            : 'Sign in to book a free time.'}
      </p>
      <DaySwitcher {...props} />
      {columns.length === 0 ? (
        <p class="notice">
          The lab is closed on {day}
          {hours.closure ? `: ${hours.closure}` : ''}.
        </p>
      ) : rows.length === 0 ? (
        <p>No device in that category.</p>
      ) : (
        <div
          class="table-scroll schedule-scroll"
          tabIndex={0}
          role="region"
          aria-labelledby="schedule-caption"
        >
          <table class="schedule">
            <caption id="schedule-caption">
              {day}: devices down, times across
              <span class="visually-hidden"> (scrolls sideways)</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                {columns.map((c) => (
                  <th scope="col" key={c.toISOString()}>
                    {timeLabel(c, ctx.zone)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <GridRow
                  key={row.device.slug}
                  ctx={ctx}
                  row={row}
                  columns={columns}
                  graceMinutes={graceMinutes}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {reasons.length ? (
        <section aria-labelledby="why-not">
          <h2 id="why-not">Why some free times can’t be booked</h2>
          <ul>
            {reasons.map((r) => (
              <li key={r.message}>{r.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}
