import type { UsageFigures } from '../../reports/usage';
import type { UsageReport } from '../../reports/reports.service';
import type { PageContext } from './context';
import { Layout } from './layout';

const BAR_ROW = 44;
const BAR_WIDTH = 480;
const CHART_WIDTH = 640;

const number = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
const percent = (value: number) =>
  `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;

function FigureCells({ figures }: { figures: UsageFigures }) {
  return (
    <>
      <td class="number">{number(figures.bookings)}</td>
      <td class="number">{number(figures.hoursBooked)}</td>
      <td class="number">{number(figures.hoursOpen)}</td>
      <td class="number">{percent(figures.utilisation)}</td>
      <td class="number">{number(figures.noShows)}</td>
      <td class="number">{number(figures.cancellations)}</td>
      <td class="number">{number(figures.uniquePatrons)}</td>
    </>
  );
}

function FigureHeads() {
  return (
    <>
      <th scope="col">Bookings</th>
      <th scope="col">Hours booked</th>
      <th scope="col">Hours open</th>
      <th scope="col">Utilization</th>
      <th scope="col">No-shows</th>
      <th scope="col">Cancellations</th>
      <th scope="col">Patrons</th>
    </>
  );
}

/** Bars drawn on the server: no script, no library; each bar carries its figure as text. */
function UtilisationChart({ report }: { report: UsageReport }) {
  const rows = report.devices;
  const height = Math.max(rows.length, 1) * BAR_ROW;
  const label = `Utilization per device: ${rows.map((d) => `${d.name} ${percent(d.utilisation)}`).join(', ')}.`;
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        {rows.map((d, i) => {
          const y = i * BAR_ROW;
          const width = Math.max(1, (Math.min(d.utilisation, 100) / 100) * BAR_WIDTH);
          return (
            <g key={d.equipment}>
              <text x="0" y={y + 14} font-size="14" fill="#1b1b1b">
                {d.name}
              </text>
              <rect x="0" y={y + 20} width={BAR_WIDTH} height="16" fill="#f3f5f7" />
              <rect x="0" y={y + 20} width={width} height="16" fill="#0b5cad" />
              <text x={BAR_WIDTH + 8} y={y + 33} font-size="14" fill="#1b1b1b">
                {percent(d.utilisation)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        Hours booked as a share of hours open, per device. The same figures are in the table below.
      </figcaption>
    </figure>
  );
}

export function ReportsPage({ ctx, report }: { ctx: PageContext; report: UsageReport }) {
  const csv = `/api/reports/usage?from=${report.from}&to=${report.to}&format=csv`;
  const period = `${ctx.style.longDate(report.from)} to ${ctx.style.longDate(report.to)}`;
  return (
    <Layout ctx={ctx} title="Usage reports" wide>
      <h1>Usage reports</h1>
      <form method="get" action="/reports" aria-label="Period" class="filters">
        <p>
          <label for="from">From</label>
          <input id="from" name="from" type="date" required value={report.from} />
        </p>
        <p>
          <label for="to">To (included)</label>
          <input id="to" name="to" type="date" required value={report.to} />
        </p>
        <p>
          <button type="submit">Show</button>
        </p>
      </form>
      <p>
        {period}. Bookings count on the day they start; stations are measured against opening hours,
        kits to borrow against every hour.{' '}
        <a href={csv} download>
          Download CSV<span class="visually-hidden"> of these figures</span>
        </a>
      </p>
      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">Utilization per device</h2>
        <UtilisationChart report={report} />
      </section>
      <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">Per device</h2>
        <div class="table-scroll">
          <table class="figures">
            <caption>Usage per device, {period}</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Category</th>
                <FigureHeads />
              </tr>
            </thead>
            <tbody>
              {report.devices.map((d) => (
                <tr key={d.equipment}>
                  <th scope="row">{d.name}</th>
                  <td>{d.category}</td>
                  <FigureCells figures={d} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Per category</h2>
        <div class="table-scroll">
          <table class="figures">
            <caption>Usage per category, {period}</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Devices</th>
                <FigureHeads />
              </tr>
            </thead>
            <tbody>
              {report.categories.map((c) => (
                <tr key={c.category}>
                  <th scope="row">{c.category}</th>
                  <td class="number">{c.devices}</td>
                  <FigureCells figures={c} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Per patron group</h2>
        {report.groups.length === 0 ? (
          <p>No bookings in this period.</p>
        ) : (
          <div class="table-scroll">
            <table class="figures">
              <caption>Bookings per patron group, {period}</caption>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Bookings</th>
                  <th scope="col">Hours booked</th>
                  <th scope="col">No-shows</th>
                  <th scope="col">Cancellations</th>
                  <th scope="col">Patrons</th>
                </tr>
              </thead>
              <tbody>
                {report.groups.map((g) => (
                  <tr key={g.group}>
                    <th scope="row">{g.group}</th>
                    <td class="number">{g.bookings}</td>
                    <td class="number">{g.hoursBooked}</td>
                    <td class="number">{g.noShows}</td>
                    <td class="number">{g.cancellations}</td>
                    <td class="number">{g.uniquePatrons}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
