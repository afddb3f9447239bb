import type { BookingWithParties } from '../../bookings/booking-notifier';
import type { Equipment } from '../../equipment/equipment.entity';
import { dueDate } from '../../bookings/overdue-kit';
import type { OverdueLoan } from '../../loans/overdue-loans.service';
import type { PageContext } from './context';
import { CardNumberInput, Layout, PostForm } from './layout';
import { whenLabel } from './format';

export interface CheckOutDraft {
  kit: Equipment;
  cardNumber: string;
  /** Today's local date: the earliest return day of a walk-in. */
  today: string;
}

/** `Fri, Dec 4`: the kit is due back by closing that day. */
function dueDay(loan: BookingWithParties, ctx: PageContext): string {
  return ctx.style.date(dueDate(loan.end, ctx.zone), ctx.now);
}

export function DeskLoansPage({
  ctx,
  draft,
  tag,
  card,
  out,
  overdue,
}: {
  ctx: PageContext;
  draft: CheckOutDraft | null;
  tag: string;
  card: string;
  out: BookingWithParties[];
  overdue: OverdueLoan[];
}) {
  return (
    <Layout ctx={ctx} title="Loans" wide>
      <p class="breadcrumb">
        <a href="/desk">Desk</a> › Loans
      </p>
      <h1>Kits to borrow</h1>
      <section aria-labelledby="check-out">
        <h2 id="check-out">Check a kit out</h2>
        {draft ? (
          <PostForm ctx={ctx} action="/desk/loans/check-out" label="Confirm the parts handed over">
            <input type="hidden" name="assetTag" value={draft.kit.assetTag ?? ''} />
            <input type="hidden" name="cardNumber" value={draft.cardNumber} />
            <p>
              {draft.kit.name} ({draft.kit.assetTag}) for card {draft.cardNumber}.
            </p>
            {draft.kit.status === 'out_of_service' ? (
              <p class="notice">
                This kit is out of service and cannot go out until staff set it back to available.
              </p>
            ) : null}
            <fieldset>
              <legend>Parts handed over (untick what is missing)</legend>
              {(draft.kit.parts ?? []).map((part, i) => (
                <p key={part}>
                  <input
                    type="checkbox"
                    id={`part-${i}`}
                    name="partsPresent"
                    value={part}
                    checked
                  />{' '}
                  <label for={`part-${i}`} class="inline-label">
                    {part}
                  </label>
                </p>
              ))}
            </fieldset>
            <p>
              <label for="returnDay">Return day, for a walk-in without a reservation</label>
              <input
                id="returnDay"
                name="returnDay"
                type="date"
                min={draft.today}
                aria-describedby="returnDay-hint"
              />
              <span id="returnDay-hint" class="hint">
                Leave it empty when the patron reserved the kit: their reservation decides the
                return day. Filled in, the kit is booked from today to that day and handed over in
                one step, under the kit’s usual rules; if either is refused, nothing is booked.
              </span>
            </p>
            <p>
              <button type="submit">Hand the kit over</button> <a href="/desk/loans">Start again</a>
            </p>
          </PostForm>
        ) : (
          <form method="get" action="/desk/loans" aria-label="Find the kit and the patron">
            <p>
              <label for="tag">Kit’s asset tag</label>
              <input id="tag" name="tag" value={tag} required maxLength={40} autoFocus />
            </p>
            <p>
              <label for="card">Patron’s card number</label>
              <CardNumberInput id="card" name="card" value={card} />
            </p>
            <p>
              <button type="submit">Show the parts checklist</button>
            </p>
          </form>
        )}
      </section>
      <section aria-labelledby="overdue">
        <h2 id="overdue">Overdue</h2>
        {overdue.length ? (
          <ul>
            {overdue.map((o) => (
              <li key={o.loan.id}>
                <strong>
                  {o.loan.equipment.name} ({o.loan.equipment.assetTag})
                </strong>
                , borrowed by {o.loan.patron.name}: {o.overdueDays}{' '}
                {o.overdueDays === 1 ? 'day' : 'days'} late (due {dueDay(o.loan, ctx)}).
                {o.collisions.length ? (
                  <p>
                    Held up until it comes back:{' '}
                    {o.collisions
                      .map(
                        (c) => `${c.patron.name}, ${whenLabel(c, ctx.style, ctx.now)} (${c.code})`,
                      )
                      .join('; ')}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>No kit is late.</p>
        )}
      </section>
      <section aria-labelledby="out">
        <h2 id="out">Out now: take one back</h2>
        {out.length ? (
          <ul class="bookings">
            {out.map((loan) => (
              <li key={loan.id} class="booking">
                <h3>
                  {loan.equipment.name} ({loan.equipment.assetTag})
                </h3>
                <p>
                  {loan.patron.name} · due back {dueDay(loan, ctx)} · code {loan.code}
                </p>
                <PostForm
                  ctx={ctx}
                  action={`/desk/loans/${loan.id}/return`}
                  label={`Take back ${loan.code}`}
                >
                  <p>
                    <label for={`condition-${loan.id}`}>How it came back</label>
                    <input
                      id={`condition-${loan.id}`}
                      name="condition"
                      required
                      maxLength={2000}
                      class="wide-input"
                    />
                  </p>
                  {(loan.partsOut ?? []).length ? (
                    <fieldset>
                      <legend>Missing parts (check what did not come back)</legend>
                      {(loan.partsOut ?? []).map((part, i) => (
                        <p key={part}>
                          <input
                            type="checkbox"
                            id={`missing-${loan.id}-${i}`}
                            name="missingParts"
                            value={part}
                          />{' '}
                          <label for={`missing-${loan.id}-${i}`} class="inline-label">
                            {part}
                          </label>
                        </p>
                      ))}
                    </fieldset>
                  ) : null}
                  <p>
                    <input
                      type="checkbox"
                      id={`damaged-${loan.id}`}
                      name="damaged"
                      value="yes"
                      aria-describedby={`damaged-${loan.id}-hint`}
                    />{' '}
                    <label for={`damaged-${loan.id}`} class="inline-label">
                      Damaged
                    </label>{' '}
                    <span id={`damaged-${loan.id}-hint`} class="hint">
                      A damaged kit, or one with parts missing, goes out of service until staff set
                      it back to available.
                    </span>
                  </p>
                  <p>
                    <button type="submit">Take back {loan.code}</button>
                  </p>
                </PostForm>
              </li>
            ))}
          </ul>
        ) : (
          <p>No kit is out.</p>
        )}
      </section>
    </Layout>
  );
}
