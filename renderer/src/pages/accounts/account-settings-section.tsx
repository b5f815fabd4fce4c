/**
 * The form's "Settings" section: time zone, send budget, opening hours and the automation switches.
 */
import { keepPastedLineBreaks } from '../../components/field';
import { FieldRow, TextInput, Toggle, type FormControls } from './account-form-parts';
import { BusinessHoursField } from './business-hours-field';

let cachedZones: string[] | undefined;
function timeZones(): string[] {
  if (!cachedZones) {
    let zones: string[] = [];
    try {
      zones = Intl.supportedValuesOf('timeZone');
    } catch {
      // Older engines: the field still validates what is typed.
    }
    cachedZones = zones.includes('UTC') ? zones : ['UTC', ...zones];
  }
  return cachedZones;
}

export function AccountSettingsSection(props: { form: FormControls; showHourErrors: boolean }) {
  const { form } = props;
  const { values, set, touch } = form;
  return (
    <section className="form__section" aria-labelledby="form-settings">
      <h3 id="form-settings" className="form__heading">
        Settings
      </h3>
      <div className="form__row">
        <FieldRow form={form} field="timezone" label="Time zone" hint="For business hours and reports.">
          {(ids) => (
            <>
              <TextInput
                ids={ids}
                list="time-zones"
                autoComplete="off"
                spellCheck={false}
                value={values.timezone}
                onValue={(value) => set('timezone', value)}
                onPaste={(event) => keepPastedLineBreaks(event, values.timezone, (v) => set('timezone', v))}
                onBlur={() => touch('timezone')}
              />
              <datalist id="time-zones">
                {timeZones().map((zone) => (
                  <option key={zone} value={zone} />
                ))}
              </datalist>
            </>
          )}
        </FieldRow>
        <FieldRow
          form={form}
          field="hourlySendBudget"
          label="Hourly send budget"
          hint="Most messages sent per hour; the rest wait."
        >
          {(ids) => (
            <TextInput
              ids={ids}
              inputMode="numeric"
              value={values.hourlySendBudget}
              onValue={(value) => set('hourlySendBudget', value)}
              onBlur={() => touch('hourlySendBudget')}
            />
          )}
        </FieldRow>
      </div>
      <BusinessHoursField form={form} showErrors={props.showHourErrors} />
      <Toggle
        checked={values.automationEnabled}
        onChange={(checked) => set('automationEnabled', checked)}
        title="Answer automatically"
        help="This account’s rules reply to new messages. When off, every message waits for your team."
      />
      <Toggle
        checked={values.humanAgentAllowed}
        onChange={(checked) => set('humanAgentAllowed', checked)}
        title="Allow the human agent tag"
        help="Staff may reply up to 7 days after the customer’s last message instead of 24 hours. Only if Meta approved Human Agent for this app; automation never uses it."
      />
    </section>
  );
}
