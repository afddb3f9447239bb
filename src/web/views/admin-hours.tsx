import type { Closure } from '../../hours/closure.entity';
import type { WeeklyHours } from '../../hours/weekly-hours.entity';
import { keptValues, type PageContext } from './context';
import { Layout, PostForm } from './layout';

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
/** Each weekday may be open in up to two stretches (a lunch break between them). */
export const STRETCHES = 2;

export function HoursAdminPage({
  ctx,
  weekly,
  closures,
  today,
}: {
  ctx: PageContext;
  weekly: WeeklyHours[];
  closures: Closure[];
  today: string;
}) {
  // After a refusal the forms show what was typed, not what is saved.
  const week = keptValues(ctx, '/admin/hours/weekly');
  const closure = keptValues(ctx, '/admin/hours/closures') ?? {};
  return (
    <Layout ctx={ctx} title="Opening hours" wide>
      <h1>Opening hours</h1>
      <section aria-labelledby="week">
        <h2 id="week">Every week</h2>
        <p>Leave a day blank to close the lab that day. Times are the library’s local time.</p>
        <PostForm ctx={ctx} action="/admin/hours/weekly" label="Weekly hours">
          <div class="table-scroll">
            <table>
              <caption>Opening times by weekday</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Opens</th>
                  <th scope="col">Closes</th>
                  <th scope="col">Opens again</th>
                  <th scope="col">Closes again</th>
                </tr>
              </thead>
              <tbody>
                {WEEKDAYS.map((name, index) => {
                  const weekday = index + 1;
                  const stretches = weekly
                    .filter((w) => w.weekday === weekday)
                    .sort((a, b) => a.opens.localeCompare(b.opens));
                  return (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      {Array.from({ length: STRETCHES }).flatMap((_, s) => [
                        <td key={`o${s}`}>
                          <label class="visually-hidden" for={`d${weekday}-${s}-opens`}>
                            {name}: {s ? 'opens again at' : 'opens at'}
                          </label>
                          <input
                            id={`d${weekday}-${s}-opens`}
                            name={`d${weekday}-${s}-opens`}
                            type="time"
                            value={
                              week
                                ? (week[`d${weekday}-${s}-opens`] ?? '')
                                : (stretches[s]?.opens ?? '')
                            }
                          />
                        </td>,
                        <td key={`c${s}`}>
                          <label class="visually-hidden" for={`d${weekday}-${s}-closes`}>
                            {name}: {s ? 'closes again at' : 'closes at'}
                          </label>
                          <input
                            id={`d${weekday}-${s}-closes`}
                            name={`d${weekday}-${s}-closes`}
                            type="time"
                            value={
                              week
                                ? (week[`d${weekday}-${s}-closes`] ?? '')
                                : (stretches[s]?.closes ?? '')
                            }
                          />
                        </td>,
                      ])}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p>
            <button type="submit">Save the week</button>
          </p>
        </PostForm>
      </section>
      <section aria-labelledby="closures">
        <h2 id="closures">Closed days</h2>
        <PostForm ctx={ctx} action="/admin/hours/closures" label="Add a closed day">
          <p>
            <label for="closure-date">Date</label>
            <input
              id="closure-date"
              name="date"
              type="date"
              min={today}
              value={closure.date}
              required
            />
          </p>
          <p>
            <label for="closure-reason">Why (patrons see this)</label>
            <input
              id="closure-reason"
              name="reason"
              maxLength={200}
              value={closure.reason}
              required
            />
          </p>
          <p>
            <button type="submit">Close the lab that day</button>
          </p>
        </PostForm>
        {closures.length ? (
          <ul>
            {closures.map((c) => (
              <li key={c.date}>
                {ctx.style.longDate(c.date)}: {c.reason}{' '}
                <PostForm
                  ctx={ctx}
                  action={`/admin/hours/closures/${c.date}/remove`}
                  class="inline"
                  label={`Reopen ${ctx.style.longDate(c.date)}`}
                >
                  <button type="submit" class="secondary">
                    Reopen<span class="visually-hidden"> on {ctx.style.longDate(c.date)}</span>
                  </button>
                </PostForm>
              </li>
            ))}
          </ul>
        ) : (
          <p>No closed days ahead.</p>
        )}
      </section>
    </Layout>
  );
}
