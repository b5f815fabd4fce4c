import { LoaderCircle, Moon, Save, Undo2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { quietHoursSchema, type AccountView, type QuietHours } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { groupByClient } from '../../lib/accounts';
import { schemaMessage } from '../../lib/validation';

type Day = QuietHours['days'][number];

const WEEK: readonly { day: Day; short: string; long: string }[] = [
  { day: 'mon', short: 'Mo', long: 'Monday' },
  { day: 'tue', short: 'Tu', long: 'Tuesday' },
  { day: 'wed', short: 'We', long: 'Wednesday' },
  { day: 'thu', short: 'Th', long: 'Thursday' },
  { day: 'fri', short: 'Fr', long: 'Friday' },
  { day: 'sat', short: 'Sa', long: 'Saturday' },
  { day: 'sun', short: 'Su', long: 'Sunday' },
];

/** A client's row: its name, the accounts' time zones, and its window when quiet hours are on. */
interface ClientRow {
  clientName: string;
  color: string | null;
  timezones: string[];
  hours: QuietHours | null;
}

const key = (name: string) => name.trim().toLocaleLowerCase();

/** Every client of the accounts, plus clients that only have stored quiet hours (nothing stored is hidden). */
function clientRows(accounts: readonly AccountView[], stored: readonly QuietHours[]): ClientRow[] {
  const rows: ClientRow[] = groupByClient(accounts)
    .filter((group) => group.name !== null)
    .map((group) => ({
      clientName: group.name as string,
      color: group.color,
      timezones: [...new Set(group.accounts.map((account) => account.settings.timezone))],
      hours: null,
    }));
  for (const hours of stored) {
    const row = rows.find((candidate) => key(candidate.clientName) === key(hours.clientName));
    if (row) row.hours = hours;
    else rows.push({ clientName: hours.clientName, color: null, timezones: [], hours });
  }
  return rows;
}

function zoneNote(row: ClientRow): string {
  if (row.timezones.length === 0) return 'No account of this client right now';
  if (row.timezones.length === 1) return `Times in ${row.timezones[0]}`;
  return `Times in each account’s time zone (${row.timezones.join(', ')})`;
}

function DayPicker(props: { clientName: string; days: Day[]; onChange: (days: Day[]) => void }) {
  return (
    <div className="day-picker" role="group" aria-label={`Quiet days for ${props.clientName}`}>
      {WEEK.map(({ day, short, long }) => {
        const on = props.days.includes(day);
        return (
          <button
            key={day}
            type="button"
            className={`day-picker__day${on ? ' day-picker__day--on' : ''}`}
            aria-pressed={on}
            aria-label={long}
            title={long}
            onClick={() =>
              props.onChange(
                on
                  ? props.days.filter((d) => d !== day)
                  : WEEK.map((entry) => entry.day).filter((d) => d === day || props.days.includes(d)),
              )
            }
          >
            {short}
          </button>
        );
      })}
    </div>
  );
}

function QuietHoursRow(props: { row: ClientRow; onChange: (hours: QuietHours | null) => void }) {
  const { row } = props;
  const hours = row.hours;
  const error = hours ? schemaMessage(quietHoursSchema, hours) : undefined;
  const errorId = `quiet-error-${key(row.clientName).replace(/\W+/g, '-')}`;
  const set = (patch: Partial<QuietHours>) => hours && props.onChange({ ...hours, ...patch });
  return (
    <li className={`quiet-row${hours ? ' quiet-row--on' : ''}`}>
      <label className="quiet-row__client">
        <input
          type="checkbox"
          checked={hours !== null}
          onChange={(event) =>
            props.onChange(
              event.target.checked
                ? {
                    clientName: row.clientName,
                    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
                    from: '20:00',
                    to: '08:00',
                  }
                : null,
            )
          }
        />
        <span className="quiet-row__dot" style={{ background: row.color ?? 'var(--idle)' }} aria-hidden />
        <span className="quiet-row__name">{row.clientName}</span>
      </label>
      {hours ? (
        <div className="quiet-row__window">
          <DayPicker clientName={row.clientName} days={hours.days} onChange={(days) => set({ days })} />
          <div className="quiet-row__times">
            <input
              type="time"
              className="input input--small"
              aria-label={`Quiet from (${row.clientName})`}
              value={hours.from}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => set({ from: event.target.value })}
            />
            <span aria-hidden>–</span>
            <input
              type="time"
              className="input input--small"
              aria-label={`Quiet until (${row.clientName})`}
              value={hours.to}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => set({ to: event.target.value })}
            />
          </div>
          <p className="quiet-row__note">
            {hours.to < hours.from ? 'Runs past midnight into the next day. ' : ''}
            {zoneNote(row)}
          </p>
          {error && (
            <p className="field__error" id={errorId} role="alert">
              {error}
            </p>
          )}
        </div>
      ) : (
        <p className="quiet-row__note">Notifications at any hour</p>
      )}
    </li>
  );
}

/**
 * Quiet hours per client: a draft edited row by row, saved together (one contract call), with each row's
 * problem shown next to it before anything is sent.
 */
export function QuietHoursEditor(props: {
  accounts: readonly AccountView[];
  stored: readonly QuietHours[];
  onSaved: (quietHours: QuietHours[]) => void;
}) {
  const client = useClient();
  const [draft, setDraft] = useState<QuietHours[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = draft ?? [...props.stored];
  const rows = clientRows(props.accounts, current);
  const invalid = current.some((hours) => schemaMessage(quietHoursSchema, hours) !== undefined);

  const change = (clientName: string, hours: QuietHours | null) => {
    const others = current.filter((entry) => key(entry.clientName) !== key(clientName));
    setDraft(hours ? [...others, hours] : others);
    setError(null);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || invalid || busy) return;
    setBusy(true);
    const result = await client.call('desktop.updateSettings', { quietHours: draft });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setDraft(null);
    props.onSaved(result.value.quietHours);
  };

  return (
    <form className="quiet-hours" noValidate onSubmit={(event) => void save(event)}>
      <h3 className="quiet-hours__title">
        <Moon size={15} aria-hidden /> Quiet hours per client
      </h3>
      <p className="key-action__description">
        No notification from a client’s accounts during its quiet hours (the inbox still updates).
      </p>
      {rows.length === 0 ? (
        <p className="quiet-row__note">Add an account with a client name to set its quiet hours.</p>
      ) : (
        <ul className="quiet-list">
          {rows.map((row) => (
            <QuietHoursRow
              key={key(row.clientName)}
              row={row}
              onChange={(hours) => change(row.clientName, hours)}
            />
          ))}
        </ul>
      )}
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {draft && (
        <div className="quiet-hours__actions">
          <button type="submit" className="button button--primary" disabled={busy || invalid}>
            {busy ? <LoaderCircle className="spin" size={15} aria-hidden /> : <Save size={15} aria-hidden />}
            Save quiet hours
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => {
              setDraft(null);
              setError(null);
            }}
          >
            <Undo2 size={15} aria-hidden />
            Discard changes
          </button>
        </div>
      )}
    </form>
  );
}
