import { keptValues, type PageContext } from './context';
import { CardNumberInput, Layout, PostForm } from './layout';
import { ConfirmNotice } from './verify';

const PIN_AT_THE_ILS =
  "Your PIN is the one the library's catalog uses: change it there, or ask at the desk to reset it.";

/** Asks for a link: patrons by card number, staff by e-mail. */
function RequestForms({ ctx }: { ctx: PageContext }) {
  const kept = keptValues(ctx, '/reset/request') ?? {};
  return (
    <div class="columns">
      <section aria-labelledby="forgot-pin">
        <h2 id="forgot-pin">Forgot your PIN?</h2>
        {ctx.patronsFromIls ? (
          <p>{PIN_AT_THE_ILS}</p>
        ) : (
          <PostForm ctx={ctx} action="/reset/request" label="E-mail me a link to set a new PIN">
            <p>
              <label for="reset-card">Library card number</label>
              <CardNumberInput id="reset-card" autoComplete="username" value={kept.cardNumber} />
            </p>
            <p>
              <button type="submit">E-mail me a link</button>
            </p>
          </PostForm>
        )}
      </section>
      <section aria-labelledby="forgot-password">
        <h2 id="forgot-password">Library staff: forgot your password?</h2>
        <PostForm ctx={ctx} action="/reset/request" label="E-mail me a link to set a new password">
          <p>
            <label for="reset-email">E-mail</label>
            <input
              id="reset-email"
              name="email"
              type="email"
              autoComplete="username"
              value={kept.email}
              required
            />
          </p>
          <p>
            <button type="submit">E-mail me a link</button>
          </p>
        </PostForm>
      </section>
    </div>
  );
}

/** `/reset`: ask for a link, or, from the e-mailed link, choose the new PIN or password. */
export function ResetPage({
  ctx,
  token,
  holder,
  problem,
}: {
  ctx: PageContext;
  token: string | null;
  holder: { role: string } | null;
  problem: string | null;
}) {
  if (!token || !holder)
    return (
      <Layout ctx={ctx} title="Set a new PIN or password">
        <h1>Set a new PIN or password</h1>
        {problem ? (
          <p role="alert" class="flash flash-error">
            {problem}
          </p>
        ) : null}
        <p>
          We e-mail a link to the address on your account. It works once, for 30 minutes. Nothing on
          this page tells whether an account has the card number or address you type.
        </p>
        <RequestForms ctx={ctx} />
      </Layout>
    );
  const patron = holder.role === 'patron';
  const noun = patron ? 'PIN' : 'password';
  return (
    <Layout ctx={ctx} title={`Choose a new ${noun}`}>
      <h1>Choose a new {noun}</h1>
      <PostForm ctx={ctx} action="/reset" label={`New ${noun}`}>
        <input type="hidden" name="token" value={token} />
        <p>
          <label for="new-secret">New {noun}</label>
          <input
            id="new-secret"
            name={patron ? 'pin' : 'password'}
            type="password"
            autoComplete="new-password"
            minLength={patron ? 4 : 12}
            maxLength={patron ? 32 : 200}
            aria-describedby="new-secret-hint"
            required
          />
          <span id="new-secret-hint" class="hint">
            {patron ? '4 to 32 characters.' : 'At least 12 characters.'} You will be signed out
            everywhere else.
          </span>
        </p>
        <p>
          <button type="submit">Set my {noun}</button>
        </p>
      </PostForm>
    </Layout>
  );
}

/** What the account page shows besides the signed-in user. */
export interface AccountFacts {
  /** Patrons: their group today (given by staff or the ILS, else by age). */
  group?: string;
  /** Patrons: the secret address of their bookings as a calendar feed. */
  feedUrl?: string;
  certifications: { device: string; slug: string; expiresAt: Date | null }[];
}

function Details({ ctx, facts }: { ctx: PageContext; facts: AccountFacts }) {
  const user = ctx.user!;
  const rows: [string, string][] = [
    ['Name', user.name],
    ['E-mail', user.email ?? 'None on file'],
  ];
  if (user.role === 'patron') {
    rows.push(['Library card', user.cardNumber ?? '']);
    if (facts.group) rows.push(['Group', facts.group]);
    if (user.birthDate) rows.push(['Date of birth', ctx.style.longDate(user.birthDate)]);
  } else rows.push(['Role', user.role === 'librarian' ? 'Librarian' : 'Staff']);
  return (
    <section aria-labelledby="details">
      <h2 id="details">Your details</h2>
      <dl class="facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {user.role === 'patron' ? (
        <p class="hint">To change your name, e-mail or date of birth, ask at the desk.</p>
      ) : null}
    </section>
  );
}

/** A booking pause after missed bookings, with the day it ends. */
function Suspension({ ctx }: { ctx: PageContext }) {
  const until = ctx.user?.suspendedUntil;
  if (ctx.user?.role !== 'patron' || !until || until <= ctx.now) return null;
  return (
    <p class="notice" role="note">
      Your bookings are paused until {ctx.style.dateTime(until, ctx.now)}, after bookings that were
      missed. You can look around, but not book, until then. Ask at the desk if this is wrong.
    </p>
  );
}

function Certifications({ ctx, facts }: { ctx: PageContext; facts: AccountFacts }) {
  return (
    <section aria-labelledby="certified">
      <h2 id="certified">Devices you are certified for</h2>
      {facts.certifications.length ? (
        <ul>
          {facts.certifications.map((c) => (
            <li key={c.slug}>
              <a href={`/equipment/${c.slug}`}>{c.device}</a>
              {c.expiresAt
                ? c.expiresAt > ctx.now
                  ? `, until ${ctx.style.date(c.expiresAt, ctx.now)}`
                  : ', expired: finish its walkthrough again or ask at the desk'
                : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p>
          None yet. Some devices need an orientation at the desk or their walkthrough first; the
          device’s page says so.
        </p>
      )}
    </section>
  );
}

function CalendarFeed({ ctx, feedUrl }: { ctx: PageContext; feedUrl: string }) {
  return (
    <section aria-labelledby="calendar">
      <h2 id="calendar">Your bookings in your calendar</h2>
      <p>
        Subscribe once and every booking appears in your calendar app:{' '}
        <a href={feedUrl.replace(/^https?:/, 'webcal:')}>subscribe to my bookings</a>. The address
        is secret: anyone who has it sees your bookings.
      </p>
      <p>
        <label for="account-feed">The address to copy</label>
        <input id="account-feed" readOnly value={feedUrl} class="wide-input" />
      </p>
      <PostForm ctx={ctx} action="/account/calendar-feed" label="Make a new calendar address">
        <p>
          <button type="submit" class="secondary">
            Make a new address
          </button>{' '}
          <span class="hint">The old one stops working, for anyone who has it.</span>
        </p>
      </PostForm>
    </section>
  );
}

/** `/account`: your details, certifications and calendar feed; change your PIN or password. */
export function AccountPage({ ctx, facts }: { ctx: PageContext; facts: AccountFacts }) {
  const patron = ctx.user?.role === 'patron';
  const noun = patron ? 'PIN' : 'password';
  return (
    <Layout ctx={ctx} title="Your account">
      <h1>Your account</h1>
      <Suspension ctx={ctx} />
      <ConfirmNotice ctx={ctx} back="/account" />
      <Details ctx={ctx} facts={facts} />
      {patron ? <Certifications ctx={ctx} facts={facts} /> : null}
      {facts.feedUrl ? <CalendarFeed ctx={ctx} feedUrl={facts.feedUrl} /> : null}
      {patron && ctx.patronsFromIls ? (
        <section aria-labelledby="change-secret">
          <h2 id="change-secret">Your PIN</h2>
          <p>{PIN_AT_THE_ILS}</p>
        </section>
      ) : (
        <section aria-labelledby="change-secret">
          <h2 id="change-secret">Change your {noun}</h2>
          <PostForm
            ctx={ctx}
            action={patron ? '/account/pin' : '/account/password'}
            label={`Change your ${noun}`}
          >
            <p>
              <label for="current-secret">Current {noun}</label>
              <input
                id="current-secret"
                name={patron ? 'currentPin' : 'currentPassword'}
                type="password"
                autoComplete="current-password"
                required
              />
            </p>
            <p>
              <label for="next-secret">New {noun}</label>
              <input
                id="next-secret"
                name={patron ? 'pin' : 'password'}
                type="password"
                autoComplete="new-password"
                minLength={patron ? 4 : 12}
                aria-describedby="next-secret-hint"
                required
              />
              <span id="next-secret-hint" class="hint">
                {patron ? '4 to 32 characters.' : 'At least 12 characters.'} Your other sign-ins
                end; this one stays.
              </span>
            </p>
            <p>
              <button type="submit">Change my {noun}</button>
            </p>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}
