import type { BookingWithParties } from '../../bookings/booking-notifier';
import type { PageContext } from './context';
import { whenLabel } from './format';
import { Layout, PostForm } from './layout';

/** Booking requests waiting for staff: approve, or deny with a reason the patron reads. */
export function DeskApprovalsPage({
  ctx,
  pending,
}: {
  ctx: PageContext;
  pending: BookingWithParties[];
}) {
  return (
    <Layout ctx={ctx} title="Approvals" wide>
      <p class="breadcrumb">
        <a href="/desk">Desk</a> › Approvals
      </p>
      <h1>Booking requests to decide</h1>
      <p>
        These bookings need a staff member’s approval. Each one holds its time until it is approved,
        declined, or lapses at the time shown; the patron is e-mailed either way.
      </p>
      {pending.length ? (
        <ul class="bookings">
          {pending.map((b) => (
            <li key={b.id} class="booking">
              <h2 class="booking-title">
                {b.equipment.name}: {whenLabel(b, ctx.style, ctx.now)}
              </h2>
              <p>
                {b.patron.name} (card {b.patron.cardNumber}) · code{' '}
                <span class="code">{b.code}</span>
                {b.decideBy ? ` · lapses ${ctx.style.dateTime(b.decideBy, ctx.now)}` : null}
              </p>
              <PostForm
                ctx={ctx}
                action={`/desk/approvals/${b.id}/approve`}
                label={`Approve ${b.code}`}
              >
                <button type="submit">
                  Approve<span class="visually-hidden"> {b.code}</span>
                </button>
              </PostForm>
              <PostForm
                ctx={ctx}
                action={`/desk/approvals/${b.id}/deny`}
                label={`Decline ${b.code}`}
              >
                <p>
                  <label for={`reason-${b.id}`}>Reason for declining (the patron reads it)</label>
                  <input
                    id={`reason-${b.id}`}
                    name="reason"
                    required
                    maxLength={500}
                    class="wide-input"
                  />
                </p>
                <button type="submit">
                  Decline<span class="visually-hidden"> {b.code}</span>
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing is waiting for approval.</p>
      )}
    </Layout>
  );
}
