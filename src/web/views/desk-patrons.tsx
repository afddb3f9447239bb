import type { User } from '../../accounts/user.entity';
import { localDate } from '../../common/time';
import type { PatronRecord } from '../../bookings/bookings.service';
import type { Certification } from '../../certifications/certification.entity';
import type { Equipment } from '../../equipment/equipment.entity';
import { keptValues, type PageContext } from './context';
import { PatronSearchForm } from './desk';
import { agendaUrl } from './desk-agenda';
import { deskStatus } from './desk-status';
import { whenLabel } from './format';
import { Layout, PostForm } from './layout';

export interface FoundPatron {
  patron: User;
  ageGroup: string;
  /** The group device policies go by: set by staff or the ILS, else by age. */
  group: string;
  certifications: Certification[];
  record: PatronRecord;
}

/** `NO_SHOW_LIMIT` no-shows within `NO_SHOW_WINDOW_DAYS` pause booking; the check-in grace. */
export interface NoShowRule {
  limit: number;
  days: number;
  graceMinutes: number;
}

function noShowWords(record: PatronRecord, rule: NoShowRule): string {
  const count = (n: number) => (n === 1 ? '1 no-show' : `${n} no-shows`);
  if (record.noShows === 0) return 'None';
  return `${count(record.recentNoShows)} in the last ${rule.days} days (${record.noShows} in all); booking pauses at ${rule.limit}`;
}

/** The patron's bookings not over yet, each a link to its day on the desk. */
function Upcoming({
  ctx,
  found,
  rule,
}: {
  ctx: PageContext;
  found: FoundPatron;
  rule: NoShowRule;
}) {
  const { patron, record } = found;
  if (!record.upcoming.length) return <p>No bookings coming up.</p>;
  return (
    <div class="table-scroll">
      <table class="agenda-table">
        <caption>Bookings coming up for {patron.name}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Device</th>
            <th scope="col">Code</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {record.upcoming.map((b) => {
            const loanKit = b.equipment.kind === 'loan';
            const status = deskStatus({ ...b, loanKit }, ctx.now, rule.graceMinutes);
            return (
              <tr key={b.id}>
                <td data-label="When">
                  <a href={`${agendaUrl(localDate(b.start, ctx.zone))}#agenda-${b.equipment.slug}`}>
                    {whenLabel(b, ctx.style, ctx.now)}
                  </a>
                </td>
                <td data-label="Device">{b.equipment.name}</td>
                <td data-label="Code">
                  <span class="code">{b.code}</span>
                </td>
                <td data-label="Status">{status.words}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Certifications({ ctx, found }: { ctx: PageContext; found: FoundPatron }) {
  const { patron, certifications } = found;
  if (!certifications.length) return <p>No certifications yet.</p>;
  return (
    <div class="table-scroll">
      <table>
        <caption>Certifications of {patron.name}</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Since</th>
            <th scope="col">Until</th>
            <th scope="col">Given by</th>
          </tr>
        </thead>
        <tbody>
          {certifications.map((c) => {
            const current = !c.expiresAt || c.expiresAt > ctx.now;
            return (
              <tr key={c.id}>
                <th scope="row">{c.equipment.name}</th>
                <td>{ctx.style.date(c.grantedAt, ctx.now)}</td>
                <td>
                  {c.expiresAt ? ctx.style.date(c.expiresAt, ctx.now) : 'No end date'}
                  {current ? '' : ' (expired)'}
                </td>
                <td>{c.grantedBy?.name ?? 'Finished the walkthrough'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PatronCard({
  ctx,
  found,
  devices,
  q,
  rule,
}: {
  ctx: PageContext;
  found: FoundPatron;
  devices: Equipment[];
  q: string;
  rule: NoShowRule;
}) {
  const { patron } = found;
  const card = patron.cardNumber ?? '';
  const selectId = `grant-${card}`;
  const paused = patron.suspendedUntil && patron.suspendedUntil > ctx.now;
  return (
    <li class="card">
      <h2>{patron.name}</h2>
      <dl class="facts">
        <div>
          <dt>Card</dt>
          <dd class="code">{card}</dd>
        </div>
        <div>
          <dt>E-mail</dt>
          <dd>{patron.email ?? 'None on file'}</dd>
        </div>
        <div>
          <dt>Age group</dt>
          <dd>{found.ageGroup}</dd>
        </div>
        <div>
          <dt>Group</dt>
          <dd>{found.group}</dd>
        </div>
        <div>
          <dt>Booking</dt>
          <dd>
            {paused
              ? `Paused until ${ctx.style.date(patron.suspendedUntil!, ctx.now)} (no-shows)`
              : patron.verifiedAt
                ? 'Allowed'
                : 'Not yet: e-mail address not confirmed'}
          </dd>
        </div>
        <div>
          <dt>No-shows</dt>
          <dd>{noShowWords(found.record, rule)}</dd>
        </div>
      </dl>
      <Upcoming ctx={ctx} found={found} rule={rule} />
      {patron.verifiedAt ? null : (
        <PostForm
          ctx={ctx}
          action={`/desk/patrons/${encodeURIComponent(card)}/verify`}
          label={`Verify ${patron.name}`}
        >
          <input type="hidden" name="q" value={q} />
          <p>
            <button type="submit">
              Verify: I have seen the card<span class="visually-hidden"> of {patron.name}</span>
            </button>{' '}
            <span class="hint">Lets them book without confirming their e-mail address.</span>
          </p>
        </PostForm>
      )}
      <PostForm
        ctx={ctx}
        action={`/desk/patrons/${encodeURIComponent(card)}/group`}
        label={`Set the group of ${patron.name}`}
      >
        <input type="hidden" name="q" value={q} />
        <p>
          <label for={`group-${card}`}>Patron group (empty: by age)</label>
          <input
            id={`group-${card}`}
            name="group"
            value={
              keptValues(ctx, `/desk/patrons/${encodeURIComponent(card)}/group`)?.group ??
              patron.patronGroup ??
              ''
            }
            maxLength={40}
            aria-describedby={`group-hint-${card}`}
          />{' '}
          <button type="submit" class="secondary">
            Set the group<span class="visually-hidden"> of {patron.name}</span>
          </button>
          <span id={`group-hint-${card}`} class="hint">
            Such as adult, teen or child; devices may be limited to some groups.
          </span>
        </p>
      </PostForm>
      <Certifications ctx={ctx} found={found} />
      <PostForm
        ctx={ctx}
        action={`/desk/patrons/${encodeURIComponent(card)}/certifications`}
        label={`Certify ${patron.name}`}
        class="filters"
      >
        <input type="hidden" name="q" value={q} />
        <p>
          <label for={selectId}>Oriented on</label>
          <select id={selectId} name="equipment" required>
            {devices.map((d) => (
              <option key={d.slug} value={d.slug}>
                {d.name}
                {d.requiresOrientation ? ' (needs orientation)' : ''}
              </option>
            ))}
          </select>
        </p>
        <p>
          <button type="submit">
            Grant certification<span class="visually-hidden"> to {patron.name}</span>
          </button>
        </p>
      </PostForm>
      {patron.email ? (
        <PostForm
          ctx={ctx}
          action={`/desk/patrons/${encodeURIComponent(card)}/pin-reset`}
          label={`Send ${patron.name} a PIN link`}
        >
          <input type="hidden" name="q" value={q} />
          <p>
            <button type="submit">
              E-mail a link to set a new PIN
              <span class="visually-hidden"> to {patron.name}</span>
            </button>{' '}
            <span class="hint">It goes to {patron.email} and works once, for 30 minutes.</span>
          </p>
        </PostForm>
      ) : null}
    </li>
  );
}

export function DeskPatronsPage({
  ctx,
  q,
  found,
  devices,
  noShowRule,
}: {
  ctx: PageContext;
  q: string;
  found: FoundPatron[] | null;
  devices: Equipment[];
  noShowRule: NoShowRule;
}) {
  return (
    <Layout ctx={ctx} title="Look up a patron">
      <p class="breadcrumb">
        <a href="/desk">Desk</a> › Patrons
      </p>
      <h1>Look up a patron</h1>
      <PatronSearchForm q={q} autoFocus={!q} />
      {found === null ? null : found.length ? (
        <>
          <p>
            {found.length === 1 ? 'One patron matches' : `${found.length} patrons match`} “{q}”.
          </p>
          <ul class="cards patrons">
            {found.map((f) => (
              <PatronCard
                key={f.patron.id}
                ctx={ctx}
                found={f}
                devices={devices}
                q={q}
                rule={noShowRule}
              />
            ))}
          </ul>
        </>
      ) : (
        <p>No patron matches “{q}”. Check the card number or try part of the name.</p>
      )}
    </Layout>
  );
}
