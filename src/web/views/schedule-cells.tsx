import type { Booking } from '../../bookings/booking.entity';
import type { ScheduleRow } from '../../bookings/schedule.service';
import { effectivePolicy } from '../../equipment/policy';
import { FORM_KEY_FIELD, newFormKey } from '../booking-form';
import type { GridCell } from '../schedule-grid';
import { isStaff, type PageContext } from './context';
import { StationActions } from './desk-agenda';
import { deskStatus } from './desk-status';
import { PostForm } from './layout';

type Cell = GridCell<Booking>;

/** A free time: a patron books it with one press; others are told how they could. */
export function FreeCell({ ctx, row, cell }: { ctx: PageContext; row: ScheduleRow; cell: Cell }) {
  if (cell.kind !== 'free') return null;
  const { device } = row;
  const time = ctx.style.time(cell.slot.start);
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
export function TakenCell({
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
  const when =
    row.device.kind === 'loan'
      ? ctx.style.kitDays(booking.start, booking.end, ctx.now)
      : ctx.style.timeRange(booking.start, booking.end);
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
      {loanKit ? null : <StationActions ctx={ctx} booking={booking} buttonClass="cell-button" />}
      {walkthrough ? (
        <a href={`/manuals/${walkthrough.slug}`}>
          Walkthrough<span class="visually-hidden"> — {walkthrough.title}</span>
        </a>
      ) : null}
    </div>
  );
}

export function cellWords(cell: Cell): string {
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
