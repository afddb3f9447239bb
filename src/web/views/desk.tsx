import type { Area } from '../../areas/area.entity';
import type { Equipment } from '../../equipment/equipment.entity';
import type { ManualLink } from '../../equipment/equipment.response';
import type { OutboxMessage } from '../../notifications/outbox-message.entity';
import { FORM_KEY_FIELD } from '../booking-form';
import { keptValues, type PageContext } from './context';
import { type AgendaDay, type AgendaRow, AgendaSection } from './desk-agenda';
import { CardNumberInput, Layout, PostForm } from './layout';
import { DESK_LENGTHS, LengthOptions } from './time-picker';

export interface HandOffManual {
  slug: string;
  title: string;
}

export interface DeskDefaults {
  /** `YYYY-MM-DDTHH:mm` in the library's zone, for datetime-local fields. */
  start: string;
  outageEnd: string;
  /** The walk-in form's one-time key, so a double submit books once. */
  walkInKey: string;
}

function DeviceOptions({ devices, chosen }: { devices: Equipment[]; chosen?: string }) {
  return (
    <>
      {devices.map((d) => (
        <option key={d.slug} value={d.slug} selected={d.slug === chosen}>
          {d.name}
        </option>
      ))}
    </>
  );
}

function WalkInForm({
  ctx,
  stations,
  defaults,
}: {
  ctx: PageContext;
  stations: Equipment[];
  defaults: DeskDefaults;
}) {
  const kept = keptValues(ctx, '/desk/walk-in');
  return (
    <section aria-labelledby="walk-in">
      <h2 id="walk-in">Walk-in booking</h2>
      <PostForm ctx={ctx} action="/desk/walk-in" label="Walk-in booking">
        <input type="hidden" name={FORM_KEY_FIELD} value={defaults.walkInKey} />
        <p>
          <label for="walk-in-card">Patron’s card number</label>
          <CardNumberInput id="walk-in-card" value={kept?.cardNumber} />
        </p>
        <p>
          <label for="walk-in-device">Station</label>
          <select id="walk-in-device" name="equipment" required>
            <DeviceOptions devices={stations} chosen={kept?.equipment} />
          </select>
        </p>
        <p>
          <label for="walk-in-start">Start</label>
          <input
            id="walk-in-start"
            name="start"
            type="datetime-local"
            required
            value={kept?.start ?? defaults.start}
            aria-describedby="walk-in-start-hint"
          />
          <span id="walk-in-start-hint" class="hint">
            Moved back to the start of the station’s time step, so a walk-in gets the slot under
            way.
          </span>
        </p>
        <p>
          <label for="walk-in-minutes">How long</label>
          <select id="walk-in-minutes" name="minutes">
            <LengthOptions lengths={DESK_LENGTHS} chosen={Number(kept?.minutes ?? 60)} />
          </select>
        </p>
        <p>
          <button type="submit">Book for the patron</button>
        </p>
      </PostForm>
    </section>
  );
}

function OutageForm({
  ctx,
  devices,
  defaults,
}: {
  ctx: PageContext;
  devices: Equipment[];
  defaults: DeskDefaults;
}) {
  const kept = keptValues(ctx, '/desk/outages');
  return (
    <section aria-labelledby="outage">
      <h2 id="outage">Out of service</h2>
      <PostForm ctx={ctx} action="/desk/outages" label="Mark a device out of service">
        <p>
          <label for="outage-device">Device</label>
          <select id="outage-device" name="equipment" required>
            <DeviceOptions devices={devices} chosen={kept?.equipment} />
          </select>
        </p>
        <p>
          <label for="outage-from">From</label>
          <input
            id="outage-from"
            name="from"
            type="datetime-local"
            required
            value={kept?.from ?? defaults.start}
          />
        </p>
        <p>
          <label for="outage-to">Until</label>
          <input
            id="outage-to"
            name="to"
            type="datetime-local"
            required
            value={kept?.to ?? defaults.outageEnd}
          />
        </p>
        <p>
          <label for="outage-reason">What is wrong</label>
          <input
            id="outage-reason"
            name="reason"
            required
            maxLength={500}
            class="wide-input"
            value={kept?.reason}
          />
        </p>
        <p>
          <button type="submit" class="danger">
            Mark out of service
          </button>
        </p>
        <p class="hint">Patrons whose bookings it hits are e-mailed with another time to try.</p>
      </PostForm>
    </section>
  );
}

function HandOff({ ctx, manuals }: { ctx: PageContext; manuals: HandOffManual[] }) {
  const options = manuals.map((m) => (
    <option key={m.slug} value={m.slug}>
      {m.title}
    </option>
  ));
  return (
    <section aria-labelledby="hand-off">
      <h2 id="hand-off">Hand out a walkthrough</h2>
      <form method="get" action="/desk/print" aria-label="Print a walkthrough">
        <p>
          <label for="print-manual">Walkthrough to print</label>
          <select id="print-manual" name="manual" required>
            {options}
          </select>
        </p>
        <p>
          <button type="submit" class="secondary">
            Open the printable copy
          </button>
        </p>
      </form>
      <PostForm ctx={ctx} action="/desk/manuals/send" label="E-mail a walkthrough to a patron">
        <p>
          <label for="send-manual">Walkthrough to e-mail</label>
          <select id="send-manual" name="manual" required>
            {options}
          </select>
        </p>
        <p>
          <label for="send-card">Patron’s card number</label>
          <CardNumberInput
            id="send-card"
            value={keptValues(ctx, '/desk/manuals/send')?.cardNumber}
          />
        </p>
        <p>
          <button type="submit">E-mail to patron</button>
        </p>
      </PostForm>
    </section>
  );
}

export function PatronSearchForm({ q, autoFocus }: { q: string; autoFocus?: boolean }) {
  return (
    <form method="get" action="/desk/patrons" aria-label="Look up a patron" class="filters">
      <p>
        <label for="patron-q">Card number or name</label>
        <input
          id="patron-q"
          name="q"
          value={q}
          required
          maxLength={100}
          autoComplete="off"
          autoFocus={autoFocus}
        />
      </p>
      <p>
        <button type="submit">Look up</button>
      </p>
    </form>
  );
}

export interface DeskWaiting {
  /** Booking requests waiting for approval. */
  approvals: number;
  /** Kits out past their due date, with who has them. */
  lateKits: { name: string; patron: string; code: string }[];
}

/** Requests to decide and late kits, said at the top of the desk so nothing waits unseen. */
function DeskAttention({ waiting }: { waiting: DeskWaiting }) {
  if (!waiting.approvals && !waiting.lateKits.length) return null;
  return (
    <section aria-labelledby="attention" class="notice">
      <h2 id="attention">Waiting for the desk</h2>
      <ul>
        {waiting.approvals ? (
          <li>
            <a href="/desk/approvals">
              {waiting.approvals === 1
                ? '1 booking request to approve or decline'
                : `${waiting.approvals} booking requests to approve or decline`}
            </a>
          </li>
        ) : null}
        {waiting.lateKits.length ? (
          <li>
            <a href="/desk/loans">
              {waiting.lateKits.length === 1
                ? '1 kit is late'
                : `${waiting.lateKits.length} kits are late`}
            </a>
            : {waiting.lateKits.map((k) => `${k.name} with ${k.patron} (${k.code})`).join('; ')}
          </li>
        ) : null}
      </ul>
    </section>
  );
}

export function DeskPage({
  ctx,
  day,
  areas,
  area,
  agenda,
  walkthroughs,
  stations,
  manuals,
  defaults,
  graceMinutes,
  mail,
  waiting,
}: {
  ctx: PageContext;
  day: AgendaDay;
  areas: Area[];
  /** The area whose desk this is; every area when undefined. */
  area: Area | undefined;
  agenda: AgendaRow[];
  /** The walkthroughs linked to each device, by device id. */
  walkthroughs: Map<string, ManualLink[]>;
  stations: Equipment[];
  manuals: HandOffManual[];
  defaults: DeskDefaults;
  graceMinutes: number;
  mail: DeskMail;
  /** What needs the desk besides today's agenda: requests to decide and kits not back. */
  waiting: DeskWaiting;
}) {
  const devices = agenda.map((a) => a.device);
  return (
    <Layout ctx={ctx} title={area ? `Desk: ${area.name}` : 'Desk'} wide>
      <h1>{area ? `Desk: ${area.name}` : 'Desk'}</h1>
      <form method="get" action="/desk" class="filters" aria-label="Choose the desk’s area">
        <p>
          <label for="desk-area">Area</label>
          <select id="desk-area" name="area">
            <option value="" selected={!area}>
              Every area
            </option>
            {areas.map((a) => (
              <option key={a.slug} value={a.slug} selected={area?.slug === a.slug}>
                {a.name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <button type="submit">Show its agenda</button>
        </p>
      </form>
      <PostForm ctx={ctx} action="/desk/check-in" label="Check in" class="check-in">
        <p>
          <label for="scan">Scan a card or type a booking code</label>
          <input
            id="scan"
            name="scan"
            required
            maxLength={40}
            autoComplete="off"
            autoFocus
            aria-describedby="scan-hint"
            value={keptValues(ctx, '/desk/check-in')?.scan}
          />{' '}
          <button type="submit">Check in</button>
          <span id="scan-hint" class="hint">
            A card checks in every booking of that patron due now; a code checks in that booking.
          </span>
        </p>
      </PostForm>
      <DeskAttention waiting={waiting} />
      <nav aria-label="Desk tasks" class="desk-tasks">
        <ul>
          <li>
            <a href="#walk-in">Walk-in booking</a>
          </li>
          <li>
            <a href="#outage">Out of service</a>
          </li>
          <li>
            <a href="#hand-off">Hand out a walkthrough</a>
          </li>
          <li>
            <a href="#patrons">Patrons and orientations</a>
          </li>
          <li>
            <a href="/desk/loans">Loans: hand over and take back kits</a>
          </li>
          <li>
            <a href="/desk/approvals">Booking requests to approve</a>
          </li>
          <li>
            <a href="/desk/series">Recurring bookings</a>
          </li>
          <li>
            <a href="/reports">Usage reports</a>
          </li>
          <li>
            <a href="#mail">E-mail to patrons</a>
          </li>
        </ul>
      </nav>
      <AgendaSection
        ctx={ctx}
        day={day}
        agenda={agenda}
        walkthroughs={walkthroughs}
        graceMinutes={graceMinutes}
      />
      <div class="columns">
        <WalkInForm ctx={ctx} stations={stations} defaults={defaults} />
        <OutageForm ctx={ctx} devices={devices} defaults={defaults} />
        <HandOff ctx={ctx} manuals={manuals} />
        <section aria-labelledby="patrons">
          <h2 id="patrons">Patrons and orientations</h2>
          <p>Find a patron to see their certifications, or to certify them after an orientation.</p>
          <PatronSearchForm q="" />
        </section>
      </div>
      <DeskMailSection ctx={ctx} mail={mail} />
    </Layout>
  );
}

/** The mail outbox as the desk sees it. */
export interface DeskMail {
  pending: number;
  failed: number;
  /** Failed messages, and pending ones that have already failed at least once. */
  troubled: OutboxMessage[];
}

/** Whether patrons' e-mails are going out, and which are stuck, with a retry for librarians. */
export function DeskMailSection({ ctx, mail }: { ctx: PageContext; mail: DeskMail }) {
  const librarian = ctx.user?.role === 'librarian';
  return (
    <section aria-labelledby="mail">
      <h2 id="mail">E-mail to patrons</h2>
      {mail.pending === 0 && mail.failed === 0 ? (
        <p>Every e-mail has gone out.</p>
      ) : (
        <p>
          {mail.pending} waiting to go, {mail.failed} given up after two days of tries.
        </p>
      )}
      {mail.troubled.length ? (
        <ul class="mail-trouble">
          {mail.troubled.map((m) => (
            <li key={m.id}>
              <strong>{m.subject}</strong> to {m.recipient ?? 'nobody'}:{' '}
              {m.status === 'failed' ? 'not sent' : `tried ${m.attempts} times, trying again`}
              {m.lastError ? <span class="meta"> ({m.lastError})</span> : null}
              {librarian && m.status === 'failed' ? (
                <PostForm
                  ctx={ctx}
                  action={`/desk/mail/${m.id}/retry`}
                  label={`Send ${m.subject} again`}
                  class="inline"
                >
                  <button type="submit">Send again</button>
                </PostForm>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
