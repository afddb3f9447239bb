import { keptValues, type PageContext } from './context';
import { CardNumberInput, Layout, PostForm } from './layout';

/** Asks for a new confirmation link by card number. */
function ResendForm({ ctx }: { ctx: PageContext }) {
  return (
    <section aria-labelledby="new-link">
      <h2 id="new-link">Need a new link?</h2>
      <PostForm ctx={ctx} action="/verify/resend" label="E-mail me a new confirmation link">
        <p>
          <label for="verify-card">Library card number</label>
          <CardNumberInput
            id="verify-card"
            autoComplete="username"
            value={keptValues(ctx, '/verify/resend')?.cardNumber}
          />
        </p>
        <p>
          <button type="submit">E-mail me a new link</button>
        </p>
      </PostForm>
      <p>Or show your library card at the desk: staff can confirm your account there.</p>
    </section>
  );
}

/**
 * `/verify`: from the e-mailed link, one button confirms the address (a button, not the visit,
 * so a mail scanner that opens links does not use it up); without a live link, a new one.
 */
export function VerifyPage({
  ctx,
  token,
  holder,
  problem,
}: {
  ctx: PageContext;
  token: string | null;
  holder: { name: string; cardNumber: string | null } | null;
  problem: string | null;
}) {
  if (!token || !holder)
    return (
      <Layout ctx={ctx} title="Confirm your e-mail address">
        <h1>Confirm your e-mail address</h1>
        {problem ? (
          <p role="alert" class="flash flash-error">
            {problem}
          </p>
        ) : null}
        <p>
          When you register, we e-mail you a link to confirm your address. Once it is confirmed you
          can book equipment. The link works once, for 2 days.
        </p>
        <ResendForm ctx={ctx} />
      </Layout>
    );
  return (
    <Layout ctx={ctx} title="Confirm your e-mail address">
      <h1>Confirm your e-mail address</h1>
      <p>
        {holder.name}, card <span class="code">{holder.cardNumber}</span>: confirm that this e-mail
        address is yours, and you can book equipment.
      </p>
      <PostForm ctx={ctx} action="/verify" label="Confirm your e-mail address">
        <input type="hidden" name="token" value={token} />
        <p>
          <button type="submit">Confirm my e-mail address</button>
        </p>
      </PostForm>
    </Layout>
  );
}

/** For a signed-in patron who has not confirmed yet: why booking waits, and a new link. */
export function ConfirmNotice({ ctx, back }: { ctx: PageContext; back: string }) {
  const user = ctx.user;
  if (user?.role !== 'patron' || user.verifiedAt) return null;
  return (
    <section aria-labelledby="confirm-email" class="notice">
      <h2 id="confirm-email">Confirm your e-mail address to book</h2>
      <p>
        We sent a link to {user.email ?? 'your e-mail address'}. Open it to confirm your address, or
        show your library card at the desk. Until then you can look around but not book.
      </p>
      {user.email ? (
        <PostForm ctx={ctx} action="/account/verify" label="Send me a new confirmation link">
          <input type="hidden" name="back" value={back} />
          <p>
            <button type="submit">E-mail me a new link</button>
          </p>
        </PostForm>
      ) : null}
    </section>
  );
}
