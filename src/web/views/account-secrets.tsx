import type { PageContext } from './context';
import { CardNumberInput, Layout, PostForm } from './layout';
import { ConfirmNotice } from './verify';

const PIN_AT_THE_ILS =
  "Your PIN is the one the library's catalogue uses: change it there, or ask at the desk to reset it.";

/** Asks for a link: patrons by card number, staff by e-mail. */
function RequestForms({ ctx }: { ctx: PageContext }) {
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
              <CardNumberInput id="reset-card" autoComplete="username" />
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
            <input id="reset-email" name="email" type="email" autoComplete="username" required />
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

/** `/account`: change your own PIN (patrons) or password (staff). */
export function AccountPage({ ctx }: { ctx: PageContext }) {
  const patron = ctx.user?.role === 'patron';
  const noun = patron ? 'PIN' : 'password';
  if (patron && ctx.patronsFromIls)
    return (
      <Layout ctx={ctx} title="Your account">
        <h1>Your account</h1>
        <p>{PIN_AT_THE_ILS}</p>
      </Layout>
    );
  return (
    <Layout ctx={ctx} title="Your account">
      <h1>Your account</h1>
      <ConfirmNotice ctx={ctx} back="/account" />
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
              {patron ? '4 to 32 characters.' : 'At least 12 characters.'} Your other sign-ins end;
              this one stays.
            </span>
          </p>
          <p>
            <button type="submit">Change my {noun}</button>
          </p>
        </PostForm>
      </section>
    </Layout>
  );
}
