import type { Refusal } from '../../bookings/rules';
import type { ScheduleDay, ScheduleRow } from '../../bookings/schedule.service';
import type { Area } from '../../areas/area.entity';
import type { Category } from '../../equipment/category.entity';
import { gridColumns, rowCells } from '../schedule-grid';
import { isStaff, type PageContext } from './context';
import { Layout } from './layout';
import { cellWords, FreeCell, TakenCell } from './schedule-cells';

export interface SchedulePageProps {
  ctx: PageContext;
  schedule: ScheduleDay;
  categories: Category[];
  category: string | undefined;
  areas: Area[];
  area: Area;
  previousDate: string;
  nextDate: string;
  graceMinutes: number;
}

/** The address of this page for another day, keeping the area and category chosen. */
function scheduleHref(date: string, area: string, category: string | undefined): string {
  const query = new URLSearchParams({ date, area, ...(category ? { category } : {}) });
  return `/schedule?${query.toString()}`;
}

function DaySwitcher(props: SchedulePageProps) {
  const { ctx, schedule, categories, category, areas, area, previousDate, nextDate } = props;
  return (
    <div class="day-picker">
      <form
        method="get"
        action="/schedule"
        class="filters"
        aria-label="Choose a day, area and category"
      >
        <p>
          <label for="date">Day</label>
          <input id="date" name="date" type="date" value={schedule.date} required />
        </p>
        <p>
          <label for="area">Area</label>
          <select id="area" name="area">
            {areas.map((a) => (
              <option key={a.slug} value={a.slug} selected={area.slug === a.slug}>
                {a.name}
              </option>
            ))}
          </select>
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
        <a href={scheduleHref(previousDate, area.slug, category)}>
          ← <span class="visually-hidden">Previous day, </span>
          {ctx.style.date(previousDate, ctx.now)}
        </a>
        <a href={scheduleHref(nextDate, area.slug, category)}>
          <span class="visually-hidden">Next day, </span>
          {ctx.style.date(nextDate, ctx.now)} →
        </a>
      </p>
    </div>
  );
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
  const { ctx, schedule, graceMinutes, area } = props;
  const { date, hours, rows } = schedule;
  const columns = gridColumns(hours.open);
  const day = ctx.style.longDate(date);
  const reasons = reasonsOf(rows);
  return (
    <Layout ctx={ctx} title={`Schedule, ${day}`} wide>
      <h1>Schedule: {area.name}</h1>
      <p class="lede">
        Every device of the {area.name} against its hours of the day.{' '}
        {isStaff(ctx)
          ? 'Each booking shows its patron and status, with what the desk can do about it.'
          : ctx.user
            ? 'Press Book in a free cell to book that time.'
            : 'Sign in to book a free time.'}
      </p>
      <DaySwitcher {...props} />
      {columns.length === 0 ? (
        <p class="notice">
          The {area.name} is closed on {day}
          {hours.closure ? `: ${hours.closure}` : ''}.
        </p>
      ) : rows.length === 0 ? (
        <p>No device in that category here.</p>
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
                    {ctx.style.time(c)}
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
