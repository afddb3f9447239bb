import type { Category } from '../../equipment/category.entity';
import type { EquipmentResponse } from '../../equipment/equipment.response';
import type { PageContext } from './context';
import { Layout } from './layout';

export interface LabFilters {
  category?: string;
  q?: string;
  kind?: string;
}

const STATUS_WORDS: Record<string, string> = {
  available: 'In service',
  out_of_service: 'Out of service',
  retired: 'Retired',
};

export function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

export function LabPage({
  ctx,
  devices,
  categories,
  filters,
}: {
  ctx: PageContext;
  devices: EquipmentResponse[];
  categories: Category[];
  filters: LabFilters;
}) {
  return (
    <Layout ctx={ctx} title="Equipment">
      <h1>Book a station or borrow a kit</h1>
      <p class="lede">
        Studios, computers and digitizing stations are booked by the hour in the lab; camera and
        audio kits are borrowed for a few days. Pick one to see its free times and its walkthroughs.
      </p>
      <form method="get" action="/" class="filters" role="search" aria-label="Filter equipment">
        <p>
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value={filters.q ?? ''} maxLength={100} />
        </p>
        <p>
          <label for="category">Category</label>
          <select id="category" name="category">
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug} selected={filters.category === c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="kind">Kind</label>
          <select id="kind" name="kind">
            <option value="">Stations and kits</option>
            <option value="station" selected={filters.kind === 'station'}>
              Stations in the lab
            </option>
            <option value="loan" selected={filters.kind === 'loan'}>
              Kits to borrow
            </option>
          </select>
        </p>
        <p>
          <button type="submit">Show</button>
        </p>
      </form>
      <h2 id="results">{devices.length === 1 ? '1 device' : `${devices.length} devices`}</h2>
      {devices.length === 0 ? (
        <p>Nothing matches. Try fewer words or another category.</p>
      ) : (
        <ul class="cards" aria-labelledby="results">
          {devices.map((d) => (
            <li key={d.slug} class="card">
              <h3>
                <a href={`/equipment/${d.slug}`}>{d.name}</a>
              </h3>
              <p class="meta">
                {d.categoryName} · {d.kind === 'loan' ? 'Kit to borrow' : 'Station in the lab'}
                {d.location ? ` · ${d.location}` : ''}
              </p>
              <p class={`status status-${d.status}`}>{statusWords(d.status)}</p>
              {d.requiresOrientation ? (
                <p class="badge">Orientation needed before the first booking</p>
              ) : null}
              <p>{firstSentence(d.description)}</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function firstSentence(text: string): string {
  const match = /^(.{20,220}?[.!?])\s/.exec(text);
  return match ? match[1] : text.slice(0, 220);
}
