/**
 * The opening hours of an account: a switch between "always open" and a week of one range per day.
 */
import { dayHoursError, hasHiddenRanges, weekdays, type DayHours } from './account-form-model';
import { FieldsetError, Toggle, type FormControls } from './account-form-parts';

function DayRow(props: {
  name: string;
  day: number;
  row: DayHours;
  error: string | undefined;
  onChange: (change: Partial<DayHours>) => void;
}) {
  const { name, day, row, error } = props;
  const errorId = `hours-error-${day}`;
  const time = (edge: 'start' | 'end', label: string) => (
    <input
      type="time"
      className="input hours__time"
      value={row[edge]}
      aria-label={`${name} ${label}`}
      aria-invalid={Boolean(error) || undefined}
      aria-describedby={error ? errorId : undefined}
      onChange={(event) => props.onChange({ [edge]: event.target.value })}
    />
  );
  return (
    <div className={`hours__day${row.open ? '' : ' hours__day--closed'}`}>
      <label className="checkbox-inline hours__name">
        <input
          type="checkbox"
          checked={row.open}
          onChange={(event) => props.onChange({ open: event.target.checked })}
        />
        {name}
      </label>
      {row.open ? (
        <span className="hours__times">
          {time('start', 'opens at')}
          <span className="hours__dash" aria-hidden>
            –
          </span>
          {time('end', 'closes at')}
        </span>
      ) : (
        <span className="hours__closed">Closed</span>
      )}
      {error && (
        <p id={errorId} className="field__error hours__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function BusinessHoursField(props: {
  form: FormControls;
  /** Whether day-level errors show (the field was touched, or a save was tried). */
  showErrors: boolean;
}) {
  const { form } = props;
  const { values, set } = form;
  const setDay = (day: number, change: Partial<DayHours>) =>
    set(
      'week',
      values.week.map((row, index) => (index === day ? { ...row, ...change } : row)),
    );
  const dayErrors = weekdays.map(({ day }) => {
    const row = values.week[day];
    return props.showErrors && values.hoursSet && row ? dayHoursError(row) : undefined;
  });
  const hiddenRanges = form.editing !== null && hasHiddenRanges(form.editing.settings.businessHours);
  return (
    <fieldset className="hours" id="field-businessHours">
      <legend className="field__label">Opening hours</legend>
      <Toggle
        checked={values.hoursSet}
        onChange={(checked) => set('hoursSet', checked)}
        title={values.hoursSet ? 'Set opening hours' : 'Always open'}
        help={
          values.hoursSet
            ? 'Rules can answer differently outside these hours, in this account’s time zone.'
            : 'Turn on to set the days and hours this account is open.'
        }
      />
      {values.hoursSet && (
        <div className="hours__week">
          {weekdays.map(({ day, name }, index) => {
            const row = values.week[day];
            if (!row) return null;
            return (
              <DayRow
                key={day}
                name={name}
                day={day}
                row={row}
                error={dayErrors[index]}
                onChange={(change) => setDay(day, change)}
              />
            );
          })}
        </div>
      )}
      {!dayErrors.some(Boolean) && <FieldsetError error={form.errorFor('businessHours')} />}
      {values.hoursSet && (
        <p className="field__hint">
          Closing at midnight (00:00, or 12:00 AM) keeps the day open to its end.
          {hiddenRanges && ' Some days had more than one range; changing the hours keeps one per day.'}
        </p>
      )}
    </fieldset>
  );
}
