import type { User } from '../../accounts/user.entity';
import { keptValues, type PageContext } from './context';
import { Layout, PostForm } from './layout';

const ROLE_LABELS = { staff: 'Desk staff', librarian: 'Librarian' } as const;

function RoleSelect({ id, value }: { id: string; value?: string }) {
  return (
    <select id={id} name="role" required>
      {(['staff', 'librarian'] as const).map((role) => (
        <option key={role} value={role} selected={role === value}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </select>
  );
}

function AccountRow({ ctx, account }: { ctx: PageContext; account: User }) {
  const disabled = Boolean(account.disabledAt);
  const roleId = `role-${account.id}`;
  return (
    <tr>
      <th scope="row">{account.name}</th>
      <td>{account.email}</td>
      <td>
        <PostForm ctx={ctx} action={`/admin/staff/${account.id}`} label={`Role of ${account.name}`}>
          <label for={roleId} class="visually-hidden">
            Role of {account.name}
          </label>
          <RoleSelect id={roleId} value={account.role} />{' '}
          <button type="submit">
            Save role<span class="visually-hidden"> of {account.name}</span>
          </button>
        </PostForm>
      </td>
      <td>
        {disabled ? `Switched off on ${ctx.style.date(account.disabledAt!, ctx.now)}` : 'Active'}
        <PostForm
          ctx={ctx}
          action={`/admin/staff/${account.id}`}
          label={`${disabled ? 'Switch on' : 'Switch off'} ${account.name}`}
        >
          <input type="hidden" name="disabled" value={disabled ? 'false' : 'true'} />
          <button type="submit">
            {disabled ? 'Switch on' : 'Switch off'}
            <span class="visually-hidden"> {account.name}</span>
          </button>
        </PostForm>
      </td>
    </tr>
  );
}

/** `/admin/staff`: desk and librarian accounts. */
export function StaffAdminPage({ ctx, accounts }: { ctx: PageContext; accounts: User[] }) {
  const kept = keptValues(ctx, '/admin/staff');
  return (
    <Layout ctx={ctx} title="Staff accounts" wide>
      <h1>Staff accounts</h1>
      <section aria-labelledby="new-account">
        <h2 id="new-account">New account</h2>
        <p>
          The new colleague gets an e-mail with a link to choose a password (at least 12
          characters). The link works once, for 7 days.
        </p>
        <PostForm ctx={ctx} action="/admin/staff" label="New staff account" class="filters">
          <p>
            <label for="staff-name">Name</label>
            <input id="staff-name" name="name" maxLength={200} value={kept?.name} required />
          </p>
          <p>
            <label for="staff-email">E-mail</label>
            <input id="staff-email" name="email" type="email" value={kept?.email} required />
          </p>
          <p>
            <label for="staff-role">Role</label>
            <RoleSelect
              id="staff-role"
              value={kept?.role === 'librarian' ? 'librarian' : 'staff'}
            />
          </p>
          <p>
            <button type="submit">Create the account</button>
          </p>
        </PostForm>
      </section>
      <section aria-labelledby="accounts">
        <h2 id="accounts">Accounts</h2>
        <p>
          A switched-off account cannot sign in and its sessions end. The last active librarian
          cannot be switched off or made desk staff.
        </p>
        <div class="table-scroll">
          <table>
            <caption>Desk and librarian accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <AccountRow key={account.id} ctx={ctx} account={account} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}
