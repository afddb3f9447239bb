import type { Slot } from '../../bookings/availability';
import type { BookingWithParties } from '../../bookings/booking-notifier';
import type { WaitlistEntry } from '../../bookings/waitlist-entry.entity';
import type { BookingPolicy } from '../../equipment/policy';
import type { PageContext } from './context';
import { whenLabel } from './format';
import { Layout, PostForm } from './layout';
import { TimePicker } from './time-picker';
import { ConfirmNotice } from './verify';

const STATUS_WORDS: Record<string, string> = {
  confirmed: 'Booked',
  checked_in: 'Checked in',
  completed: 'Done',
  cancelled: 'Canceled',
  no_show: 'Missed (not checked in)',
  pending: 'Waiting for staff approval (the time is held for you)',
  displaced: 'Called off by the lab',
};

export function bookingStatusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

function BookingItem({ ctx, booking }: { ctx: PageContext; booking: BookingWithParties }) {
  const live = booking.status === 'confirmed' || booking.status === 'pending';
  return (
    <li class="booking">
      <h3>
        <a href={`/equipment/${booking.equipment.slug}`}>{booking.equipment.name}</a>
      </h3>
      <p>
        {whenLabel(booking, ctx.style, ctx.now)}
        {booking.equipment.location ? ` · ${booking.equipment.location}` : ''}
      </p>
      <p>
        <span class={`status status-${booking.status}`}>{bookingStatusWords(booking.status)}</span>{' '}
        · Code <strong class="code">{booking.code}</strong>
      </p>
      <p class="actions">
        <a href={`/api/bookings/${booking.id}/calendar.ics`} download={`${booking.code}.ics`}>
          Add to calendar
          <span class="visually-hidden">
            {' '}
            ({booking.equipment.name}, {booking.code})
          </span>
        </a>
        {live ? (
          <a href={`/my/bookings/${booking.id}/reschedule`}>
            Change the time<span class="visually-hidden"> of {booking.code}</span>
          </a>
        ) : null}
      </p>
      {live ? (
        <p>
          <a href={`/my/bookings/${booking.id}/cancel`} class="button secondary">
            Cancel<span class="visually-hidden"> booking {booking.code}</span>
          </a>
        </p>
      ) : null}
    </li>
  );
}

export function MyBookingsPage({
  ctx,
  upcoming,
  past,
  waiting,
  feedUrl,
}: {
  ctx: PageContext;
  upcoming: BookingWithParties[];
  past: BookingWithParties[];
  waiting: WaitlistEntry[];
  feedUrl: string;
}) {
  return (
    <Layout ctx={ctx} title="My bookings">
      <h1>My bookings</h1>
      <ConfirmNotice ctx={ctx} back="/my/bookings" />
      <section aria-labelledby="upcoming">
        <h2 id="upcoming">Coming up</h2>
        {upcoming.length ? (
          <ul class="bookings">
            {upcoming.map((b) => (
              <BookingItem key={b.id} ctx={ctx} booking={b} />
            ))}
          </ul>
        ) : (
          <p>
            Nothing booked. <a href="/">Find a free station or kit</a>.
          </p>
        )}
      </section>
      <section aria-labelledby="waiting">
        <h2 id="waiting">Waiting lists</h2>
        {waiting.length ? (
          <ul>
            {waiting.map((w) => (
              <li key={w.id}>
                {w.equipment.name}, {whenLabel(w, ctx.style, ctx.now)}
                <PostForm
                  ctx={ctx}
                  action={`/my/waitlist/${w.id}/leave`}
                  label={`Leave the waiting list for ${w.equipment.name}`}
                  class="inline"
                >
                  <button type="submit" class="secondary">
                    Leave
                    <span class="visually-hidden"> the waiting list for {w.equipment.name}</span>
                  </button>
                </PostForm>
              </li>
            ))}
          </ul>
        ) : (
          <p>You are not waiting for any time.</p>
        )}
      </section>
      <section aria-labelledby="calendar">
        <h2 id="calendar">In your calendar</h2>
        <p>
          Subscribe once and every booking appears in your calendar app, and changes follow:{' '}
          <a href={feedUrl.replace(/^https?:/, 'webcal:')}>subscribe to my bookings</a>.
        </p>
        <p>
          <label for="feed">Or copy the address</label>
          <input id="feed" readOnly value={feedUrl} class="wide-input" />
        </p>
      </section>
      <section aria-labelledby="past">
        <h2 id="past">Earlier</h2>
        {past.length ? (
          <ul class="bookings">
            {past.map((b) => (
              <BookingItem key={b.id} ctx={ctx} booking={b} />
            ))}
          </ul>
        ) : (
          <p>No earlier bookings.</p>
        )}
      </section>
    </Layout>
  );
}

export function ReschedulePage({
  ctx,
  booking,
  date,
  nextDate,
  previousDate,
  slots,
  policy,
}: {
  ctx: PageContext;
  booking: BookingWithParties;
  date: string;
  nextDate: string;
  previousDate: string | null;
  slots: Slot[];
  policy: BookingPolicy;
}) {
  const length = Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
  const free = slots.filter((s) => s.available);
  const base = `/my/bookings/${booking.id}/reschedule`;
  const isLoan = booking.equipment.kind === 'loan';
  return (
    <Layout ctx={ctx} title="Change a booking">
      <h1>Change {booking.equipment.name}</h1>
      <p>
        Now: {whenLabel(booking, ctx.style, ctx.now)} (code {booking.code}). Your booking stays as
        it is until the new time is confirmed.
      </p>
      {isLoan ? (
        <PostForm ctx={ctx} action={base} label="New days">
          <p>
            <label for="from">Pick-up day</label>
            <input id="from" name="from" type="date" required value={date} />
          </p>
          <p>
            <label for="to">Return day</label>
            <input id="to" name="to" type="date" required value={date} />
          </p>
          <p>
            <button type="submit">Move the loan</button>
          </p>
        </PostForm>
      ) : (
        <>
          <form method="get" action={base} aria-label="Choose a day">
            <label for="date">Day</label>
            <input id="date" name="date" type="date" value={date} required />
            <button type="submit">Show free times</button>
          </form>
          <p class="day-steps">
            {previousDate ? (
              <a href={`${base}?date=${previousDate}`}>← {ctx.style.date(previousDate, ctx.now)}</a>
            ) : null}
            <a href={`${base}?date=${nextDate}`}>{ctx.style.date(nextDate, ctx.now)} →</a>
          </p>
          <h2>Free times on {ctx.style.longDate(date)}</h2>
          {free.length ? (
            <TimePicker
              ctx={ctx}
              action={base}
              label="Pick the new time"
              date={date}
              free={free}
              policy={policy}
              length={length}
              legend="New start time"
              buttonHint="move to this time"
            />
          ) : (
            <p>No free time that day. Try another day.</p>
          )}
        </>
      )}
      <p>
        <a href="/my/bookings">Keep it as it is</a>
      </p>
    </Layout>
  );
}

/** The step before a cancellation: what goes, and a button to confirm or a way back. */
export function CancelPage({ ctx, booking }: { ctx: PageContext; booking: BookingWithParties }) {
  const live = booking.status === 'confirmed' || booking.status === 'pending';
  return (
    <Layout ctx={ctx} title="Cancel a booking">
      <h1>Cancel {booking.equipment.name}?</h1>
      <p>
        {whenLabel(booking, ctx.style, ctx.now)}, code <strong class="code">{booking.code}</strong>.
      </p>
      {live ? (
        <>
          <p>The time goes to whoever books it next. You cannot undo this.</p>
          <PostForm
            ctx={ctx}
            action={`/my/bookings/${booking.id}/cancel`}
            label={`Cancel booking ${booking.code}`}
          >
            <p>
              <button type="submit" class="danger">
                Yes, cancel<span class="visually-hidden"> booking {booking.code}</span>
              </button>{' '}
              <a href="/my/bookings">No, keep it</a>
            </p>
          </PostForm>
        </>
      ) : (
        <p>
          This booking is {bookingStatusWords(booking.status).toLowerCase()}: there is nothing to
          cancel. <a href="/my/bookings">Back to your bookings</a>
        </p>
      )}
    </Layout>
  );
}
