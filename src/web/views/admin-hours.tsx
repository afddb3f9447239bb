import type { Area } from '../../areas/area.entity';
import { type Closure, WHOLE_LIBRARY } from '../../hours/closure.entity';
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
  areas,
  area,
  weekly,
  closures,
  today,
}: {
  ctx: PageContext;
  areas: Area[];
  area: Area;
  weekly: WeeklyHours[];
  closures: Closure[];
  today: string;
}) {
  // After a refusal the forms show what was typed, not what is saved.
  const week = keptValues(ctx, '/admin/hours/weekly');
  const closure = keptValues(ctx, '/admin/hours/closures') ?? {};
  // The lab's page closes the whole library unless told otherwise; another area's, only it.
  const closesByDefault = area.slug === areas[0]?.slug ? '' : area.slug;
  return (
    <Layout ctx={ctx} title={`Opening hours: ${area.name}`} wide>
      <h1>Opening hours: {area.name}</h1>
      <form method="get" action="/admin/hours" class="filters" aria-label="Choose an area">
        <p>
          <label for="hours-area">Area</label>
          <select id="hours-area" name="area">
            {areas.map((a) => (
              <option key={a.slug} value={a.slug} selected={a.slug === area.slug}>
                {a.name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <button type="submit">Show its hours</button>
        </p>
      </form>
      <section aria-labelledby="week">
        <h2 id="week">Every week</h2>
        <p>
          Leave a day blank to close the {area.name} that day. Times are the library’s local time.
        </p>
        <PostForm ctx={ctx} action="/admin/hours/weekly" label={`Weekly hours: ${area.name}`}>
          <input type="hidden" name="area" value={area.slug} />
          <div class="table-scroll">
            <table>
              <caption>Opening times of the {area.name} by weekday</caption>
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
          <input type="hidden" name="showing" value={area.slug} />
          <p>
            <label for="closure-area">What closes</label>
            <select id="closure-area" name="area">
              <option value="" selected={(closure.area ?? closesByDefault) === ''}>
                The whole library (every area)
              </option>
              {areas.map((a) => (
                <option
                  key={a.slug}
                  value={a.slug}
                  selected={(closure.area ?? closesByDefault) === a.slug}
                >
                  Only the {a.name}
                </option>
              ))}
            </select>
          </p>
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
            <button type="submit">Close that day</button>
          </p>
        </PostForm>
        {closures.length ? (
          <ul>
            {closures.map((c) => {
              const whole = c.areaSlug === WHOLE_LIBRARY;
              const what = whole ? '' : ` the ${area.name}`;
              return (
                <li key={`${c.date} ${c.areaSlug}`}>
                  {ctx.style.longDate(c.date)}
                  {whole ? ' (whole library)' : ` (${area.name} only)`}: {c.reason}{' '}
                  <PostForm
                    ctx={ctx}
                    action={`/admin/hours/closures/${c.date}/remove`}
                    class="inline"
                    label={`Reopen${what} ${ctx.style.longDate(c.date)}`}
                  >
                    <input type="hidden" name="showing" value={area.slug} />
                    {whole ? null : <input type="hidden" name="area" value={c.areaSlug} />}
                    <button type="submit" class="secondary">
                      Reopen
                      <span class="visually-hidden">
                        {what} on {ctx.style.longDate(c.date)}
                      </span>
                    </button>
                  </PostForm>
                </li>
              );
            })}
          </ul>
        ) : (
          <p>No closed days ahead.</p>
        )}
      </section>
    </Layout>
  );
}
