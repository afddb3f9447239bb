import type { BookingSeries } from '../../bookings/series.entity';
import type { Equipment } from '../../equipment/equipment.entity';
import { keptValues, type PageContext } from './context';
import { Layout, PostForm } from './layout';
import { DESK_LENGTHS, LengthOptions } from './time-picker';

export interface SeriesFormDefaults {
  start: string;
  today: string;
}

/** Recurring bookings: make a series (checking it first), see the series made, cancel from a date. */
export function DeskSeriesPage({
  ctx,
  stations,
  series,
  defaults,
}: {
  ctx: PageContext;
  stations: Equipment[];
  series: BookingSeries[];
  defaults: SeriesFormDefaults;
}) {
  return (
    <Layout ctx={ctx} title="Recurring bookings" wide>
      <p class="breadcrumb">
        <a href="/desk">Desk</a> › Recurring bookings
      </p>
      <h1>Recurring bookings</h1>
      <section aria-labelledby="new-series">
        <h2 id="new-series">Book a series</h2>
        <p>
          For a patron’s weekly slot, or a lab programme such as a club or a class. Each date is a
          normal booking; opening hours, closures and other bookings apply as always.
        </p>
        <SeriesForm ctx={ctx} stations={stations} defaults={defaults} />
      </section>
      <section aria-labelledby="series-list">
        <h2 id="series-list">Series</h2>
        {series.length ? (
          <ul class="bookings">
            {series.map((s) => (
              <li key={s.id} class="booking">
                <h3>{s.title ?? s.patron.name}</h3>
                <p>
                  {s.equipment.name} · every {s.every} from{' '}
                  {ctx.style.range(s.firstStart, s.firstEnd, ctx.now)}
                  {s.count ? ` · ${s.count} times` : ''}
                  {s.until ? ` · until ${ctx.style.date(s.until, ctx.now)}` : ''}
                </p>
                <PostForm
                  ctx={ctx}
                  action={`/desk/series/${s.id}/cancel`}
                  label={`Cancel ${s.title ?? s.patron.name} from a date`}
                >
                  <p>
                    <label for={`from-${s.id}`}>Cancel the bookings from</label>
                    <input
                      id={`from-${s.id}`}
                      name="from"
                      type="date"
                      required
                      value={defaults.today}
                    />{' '}
                    <button type="submit" class="secondary">
                      Cancel from that date
                      <span class="visually-hidden"> ({s.title ?? s.patron.name})</span>
                    </button>
                  </p>
                </PostForm>
              </li>
            ))}
          </ul>
        ) : (
          <p>No recurring bookings yet.</p>
        )}
      </section>
    </Layout>
  );
}

/** The new-series form; after a check or a refusal it shows what was typed. */
function SeriesForm({
  ctx,
  stations,
  defaults,
}: {
  ctx: PageContext;
  stations: Equipment[];
  defaults: SeriesFormDefaults;
}) {
  const kept = keptValues(ctx, '/desk/series');
  return (
    <PostForm ctx={ctx} action="/desk/series" label="Book a series">
      <p>
        <label for="series-device">Station</label>
        <select id="series-device" name="equipment" required>
          {stations.map((d) => (
            <option key={d.slug} value={d.slug} selected={kept?.equipment === d.slug}>
              {d.name}
            </option>
          ))}
        </select>
      </p>
      <p>
        <label for="series-start">First booking starts</label>
        <input
          id="series-start"
          name="start"
          type="datetime-local"
          required
          value={kept?.start ?? defaults.start}
        />
      </p>
      <p>
        <label for="series-minutes">How long</label>
        <select id="series-minutes" name="minutes">
          <LengthOptions lengths={DESK_LENGTHS} chosen={Number(kept?.minutes ?? 60)} />
        </select>
      </p>
      <p>
        <label for="series-every">Repeats</label>
        <select id="series-every" name="every">
          <option value="week">Every week</option>
          <option value="day" selected={kept?.every === 'day'}>
            Every day
          </option>
        </select>
      </p>
      <p>
        <label for="series-count">How many times (or give a last date)</label>
        <input id="series-count" name="count" type="number" min={1} max={100} value={kept?.count} />
      </p>
      <p>
        <label for="series-until">Last date</label>
        <input
          id="series-until"
          name="until"
          type="date"
          min={defaults.today}
          value={kept?.until}
        />
      </p>
      <p>
        <label for="series-card">Patron’s card number (leave empty for a programme)</label>
        <input
          id="series-card"
          name="cardNumber"
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9]{6,20}"
          value={kept?.cardNumber}
        />
      </p>
      <p>
        <label for="series-title">Programme name (e.g. Teen podcast club)</label>
        <input
          id="series-title"
          name="title"
          maxLength={200}
          class="wide-input"
          value={kept?.title}
        />
      </p>
      <p>
        <input
          id="series-skip"
          name="skipConflicts"
          type="checkbox"
          value="yes"
          checked={kept?.skipConflicts === 'yes'}
        />{' '}
        <label for="series-skip" class="inline-label">
          Book the dates that are free and skip the rest
        </label>
      </p>
      <p>
        <button type="submit" name="action" value="check" class="secondary">
          Check the dates first
        </button>{' '}
        <button type="submit" name="action" value="book">
          Book the series
        </button>
      </p>
    </PostForm>
  );
}
