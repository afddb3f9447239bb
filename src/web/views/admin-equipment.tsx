import type { Area } from '../../areas/area.entity';
import type { Category } from '../../equipment/category.entity';
import type { EquipmentResponse } from '../../equipment/equipment.response';
import { POLICY_KEYS } from '../../equipment/policy';
import { keptValues, type PageContext } from './context';
import type { Glossary } from '../plain-words';
import { Layout, PostForm } from './layout';
import { statusWords } from './lab';

const POLICY_LABELS: Record<string, string> = {
  slotMinutes: 'Time grid (minutes)',
  minMinutes: 'Shortest booking (minutes)',
  maxMinutes: 'Longest booking (minutes)',
  bufferMinutes: 'Reset time after each booking (minutes)',
  maxAdvanceDays: 'Bookable days ahead',
  minNoticeMinutes: 'Notice needed (minutes)',
  maxActivePerPatron: 'Bookings a patron may hold',
  maxMinutesPerWeek: 'Minutes per patron per week',
};

/** The device form's labels for the API's field paths, so a refusal names what the form shows. */
export const EQUIPMENT_WORDS: Glossary = {
  ...Object.fromEntries(
    Object.entries(POLICY_LABELS).map(([key, label]) => [
      `policy.${key}`,
      label.replace(/ \(minutes\)$/, ''),
    ]),
  ),
  'policy.minMinutes must not exceed policy.maxMinutes':
    'Shortest booking must not be longer than the longest booking',
  'policy.maxMinutesPerWeek must allow at least policy.minMinutes':
    'Minutes per patron per week must be at least the shortest booking',
  'policy.maxMinutesPerDay must allow at least policy.minMinutes':
    'Daily limit per patron must be at least the shortest booking',
  'policy.groups': 'Patron groups who may book',
  'policy.maxMinutesPerDay': 'Daily limit per patron',
  'policy.approvalHours': 'Hours staff have to decide',
  slug: 'Short name for addresses',
  name: 'Name',
  category: 'Category',
  kind: 'Kind',
  status: 'Status',
  location: 'Where it is',
  description: 'Description',
  minAge: 'Minimum age',
  assetTag: 'Asset tag or barcode',
  parts: 'Parts of the kit',
};

export function EquipmentAdminPage({
  ctx,
  devices,
  categories,
  areas,
}: {
  ctx: PageContext;
  devices: EquipmentResponse[];
  categories: Category[];
  areas: Area[];
}) {
  return (
    <Layout ctx={ctx} title="Equipment admin" wide>
      <h1>Equipment</h1>
      <div class="table-scroll">
        <table>
          <caption>Every device, retired ones included</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Category</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Orientation</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.slug}>
                <th scope="row">
                  <a href={`/admin/equipment/${d.slug}`}>{d.name}</a>
                </th>
                <td>{d.categoryName}</td>
                <td>{d.kind === 'loan' ? 'Kit to borrow' : 'Station'}</td>
                <td>{statusWords(d.status)}</td>
                <td>{d.requiresOrientation ? 'Needed' : 'Not needed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="add">
        <h2 id="add">Add a device</h2>
        <EquipmentForm ctx={ctx} categories={categories} areas={areas} action="/admin/equipment" />
      </section>
    </Layout>
  );
}

export function EquipmentEditPage({
  ctx,
  device,
  categories,
  areas,
}: {
  ctx: PageContext;
  device: EquipmentResponse;
  categories: Category[];
  areas: Area[];
}) {
  return (
    <Layout ctx={ctx} title={`Edit ${device.name}`}>
      <p class="breadcrumb">
        <a href="/admin/equipment">Equipment</a> › {device.name}
      </p>
      <h1>Edit {device.name}</h1>
      <p>
        Status: {statusWords(device.status)} · <a href={`/equipment/${device.slug}`}>Public page</a>
      </p>
      <EquipmentForm
        ctx={ctx}
        categories={categories}
        areas={areas}
        action={`/admin/equipment/${device.slug}`}
        device={device}
      />
      <section aria-labelledby="photo">
        <h2 id="photo">Photo</h2>
        {device.photo ? (
          <>
            <img class="device-photo" src={device.photo.src} alt={device.photo.alt} width={320} />
            <PostForm
              ctx={ctx}
              action={`/admin/equipment/${device.slug}/photo/remove`}
              label="Remove the photo"
            >
              <button type="submit" class="secondary">
                Remove the photo
              </button>
            </PostForm>
          </>
        ) : (
          <p>No photo yet.</p>
        )}
        <form
          method="post"
          encType="multipart/form-data"
          action={`/admin/equipment/${device.slug}/photo?_csrf=${encodeURIComponent(ctx.csrf)}`}
          aria-label="Upload a photo"
        >
          <p>
            <label for="photo-file">Photo (PNG, JPEG, WebP or GIF, at most 5 MB)</label>
            <input
              id="photo-file"
              type="file"
              name="file"
              accept="image/png,image/jpeg,image/webp,image/gif"
              required
            />
          </p>
          <p>
            <label for="photo-alt">What the photo shows</label>
            <input
              id="photo-alt"
              name="alt"
              required
              maxLength={300}
              class="wide-input"
              value={keptValues(ctx, `/admin/equipment/${device.slug}/photo`)?.alt}
            />
          </p>
          <p>
            <button type="submit">{device.photo ? 'Replace the photo' : 'Upload the photo'}</button>
          </p>
        </form>
      </section>
      {device.status !== 'retired' ? (
        <section aria-labelledby="retire">
          <h2 id="retire">Retire</h2>
          <p>
            A retired device leaves the catalog and can no longer be booked. Its bookings and
            history are kept.
          </p>
          <PostForm ctx={ctx} action={`/admin/equipment/${device.slug}/retire`} label="Retire">
            <button type="submit" class="danger">
              Retire {device.name}
            </button>
          </PostForm>
        </section>
      ) : null}
    </Layout>
  );
}

function EquipmentForm({
  ctx,
  categories,
  areas,
  action,
  device,
}: {
  ctx: PageContext;
  categories: Category[];
  areas: Area[];
  action: string;
  device?: EquipmentResponse;
}) {
  const id = (name: string) => `${device ? 'edit' : 'new'}-${name}`;
  // After a refusal the form shows what was typed, not what is saved.
  const kept = keptValues(ctx, action);
  const value = (name: string, saved: string) => (kept ? (kept[name] ?? '') : saved);
  const ticked = (name: string, saved: boolean) => (kept ? kept[name] === 'true' : saved);
  const chosen = (name: string, saved: string | undefined) => (kept ? kept[name] : saved);
  return (
    <PostForm ctx={ctx} action={action} label={device ? 'Device details' : 'New device'}>
      {device ? null : (
        <p>
          <label for={id('slug')}>Short name for addresses</label>
          <input
            id={id('slug')}
            name="slug"
            required
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            aria-describedby={id('slug-hint')}
            value={value('slug', '')}
          />
          <span id={id('slug-hint')} class="hint">
            Lower-case words joined by hyphens, e.g. podcast-studio. It cannot change later.
          </span>
        </p>
      )}
      <p>
        <label for={id('name')}>Name</label>
        <input
          id={id('name')}
          name="name"
          required
          value={value('name', device?.name ?? '')}
          maxLength={200}
        />
      </p>
      <p>
        <label for={id('category')}>Category</label>
        <select id={id('category')} name="category">
          {categories.map((c) => (
            <option
              key={c.slug}
              value={c.slug}
              selected={chosen('category', device?.category) === c.slug}
            >
              {c.name}
            </option>
          ))}
        </select>
      </p>
      <p>
        <label for={id('area')}>Area</label>
        <select id={id('area')} name="area" aria-describedby={id('area-hint')}>
          {areas.map((a) => (
            <option key={a.slug} value={a.slug} selected={(device?.area ?? 'dml') === a.slug}>
              {a.name}
            </option>
          ))}
        </select>
        <span id={id('area-hint')} class="hint">
          Its hours, closures and age limits follow the area’s.
        </span>
      </p>
      <p>
        <label for={id('kind')}>Kind</label>
        <select id={id('kind')} name="kind">
          <option value="station" selected={chosen('kind', device?.kind) !== 'loan'}>
            Station booked by the hour
          </option>
          <option value="loan" selected={chosen('kind', device?.kind) === 'loan'}>
            Kit borrowed for days
          </option>
        </select>
      </p>
      {device && device.status !== 'retired' ? (
        <p>
          <label for={id('status')}>Status</label>
          <select id={id('status')} name="status">
            <option value="available" selected={chosen('status', device.status) === 'available'}>
              In service
            </option>
            <option
              value="out_of_service"
              selected={chosen('status', device.status) === 'out_of_service'}
            >
              Out of service
            </option>
          </select>
        </p>
      ) : null}
      <p>
        <label for={id('location')}>Where it is</label>
        <input
          id={id('location')}
          name="location"
          value={value('location', device?.location ?? '')}
          maxLength={200}
        />
      </p>
      <p>
        <label for={id('description')}>Description</label>
        <textarea id={id('description')} name="description" rows={5} maxLength={5000}>
          {value('description', device?.description ?? '')}
        </textarea>
      </p>
      <p>
        <input
          type="checkbox"
          id={id('requiresOrientation')}
          name="requiresOrientation"
          value="true"
          checked={ticked('requiresOrientation', device?.requiresOrientation ?? false)}
        />{' '}
        <label for={id('requiresOrientation')} class="inline-label">
          Patrons need an orientation or its walkthrough first
        </label>
      </p>
      <p>
        <label for={id('minAge')}>Minimum age</label>
        <input
          id={id('minAge')}
          name="minAge"
          type="number"
          min={0}
          max={120}
          value={value('minAge', String(device?.minAge ?? 0))}
        />
      </p>
      <p>
        <label for={id('assetTag')}>Asset tag or barcode</label>
        <input
          id={id('assetTag')}
          name="assetTag"
          value={value('assetTag', device?.assetTag ?? '')}
          maxLength={40}
        />
      </p>
      <p>
        <label for={id('parts')}>Parts of the kit, one per line</label>
        <textarea id={id('parts')} name="parts" rows={4}>
          {value('parts', (device?.parts ?? []).join('\n'))}
        </textarea>
      </p>
      <fieldset>
        <legend>Booking rules</legend>
        {POLICY_KEYS.map((key) => (
          <p key={key}>
            <label for={id(key)}>{POLICY_LABELS[key]}</label>
            <input
              id={id(key)}
              name={`policy.${key}`}
              type="number"
              min={0}
              value={value(`policy.${key}`, device ? String(device.policy[key]) : '')}
            />
          </p>
        ))}
        <p>
          <label for={id('groups')}>Patron groups who may book</label>
          <input
            id={id('groups')}
            name="policy.groups"
            value={value('policy.groups', (device?.policy.groups ?? []).join(', '))}
            aria-describedby={id('groups-hint')}
            maxLength={1300}
          />
          <span id={id('groups-hint')} class="hint">
            Separated by commas, such as teen, adult. Empty: every group.
          </span>
        </p>
        <p>
          <label for={id('maxMinutesPerDay')}>
            Daily limit per patron in minutes, shared by similar devices
          </label>
          <input
            id={id('maxMinutesPerDay')}
            name="policy.maxMinutesPerDay"
            type="number"
            min={5}
            max={1440}
            value={value(
              'policy.maxMinutesPerDay',
              device?.policy.maxMinutesPerDay === undefined
                ? ''
                : String(device.policy.maxMinutesPerDay),
            )}
          />
        </p>
        <p>
          <input
            id={id('requiresApproval')}
            name="policy.requiresApproval"
            type="checkbox"
            value="true"
            checked={ticked('policy.requiresApproval', device?.policy.requiresApproval === true)}
          />{' '}
          <label for={id('requiresApproval')} class="inline-label">
            Patrons’ bookings wait for staff approval (they hold the time meanwhile)
          </label>
        </p>
        <p>
          <label for={id('approvalHours')}>Hours staff have to decide (48 if empty)</label>
          <input
            id={id('approvalHours')}
            name="policy.approvalHours"
            type="number"
            min={1}
            max={720}
            value={value(
              'policy.approvalHours',
              device?.policy.approvalHours === undefined ? '' : String(device.policy.approvalHours),
            )}
          />
        </p>
      </fieldset>
      <p>
        <button type="submit">{device ? 'Save changes' : 'Add the device'}</button>
      </p>
    </PostForm>
  );
}
