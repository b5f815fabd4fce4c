/**
 * The form's "Client" section: which client the account belongs to, and the client's brand colour.
 */
import { Check } from 'lucide-react';
import type { ClientGroup } from '../../lib/accounts';
import { brandSwatches } from './account-form-model';
import { FieldRow, FieldsetError, TextInput, type FormControls } from './account-form-parts';

export function AccountClientSection(props: {
  form: FormControls;
  clients: readonly ClientGroup[];
  onClientName: (name: string) => void;
  /** A colour staff picked on purpose (a swatch or the custom picker). */
  onColor: (color: string) => void;
}) {
  const { form } = props;
  const { values } = form;
  const customColor =
    values.brandColor !== null &&
    !brandSwatches.some((swatch) => swatch.color.toLowerCase() === values.brandColor?.toLowerCase());
  return (
    <section className="form__section" aria-labelledby="form-client">
      <h3 id="form-client" className="form__heading">
        Client
      </h3>
      <FieldRow
        form={form}
        field="clientName"
        label="Client name"
        hint="Accounts of the same client are grouped together in the inbox and here."
      >
        {(ids) => (
          <>
            <TextInput
              ids={ids}
              value={values.clientName}
              onValue={props.onClientName}
              onBlur={() => form.touch('clientName')}
              list="known-clients"
              autoComplete="off"
            />
            <datalist id="known-clients">
              {props.clients.flatMap((group) =>
                group.name ? [<option key={group.name} value={group.name} />] : [],
              )}
            </datalist>
          </>
        )}
      </FieldRow>
      <fieldset className="swatches" id="field-brandColor">
        <legend className="field__label">
          Brand colour <span className="field__optional">optional</span>
        </legend>
        <div className="swatches__list">
          {brandSwatches.map((swatch) => {
            const selected = values.brandColor?.toLowerCase() === swatch.color.toLowerCase();
            return (
              <label key={swatch.color} className="swatch" title={swatch.name}>
                <input
                  type="radio"
                  name="brand-colour"
                  className="visually-hidden"
                  checked={selected}
                  onChange={() => props.onColor(swatch.color)}
                />
                <span className="swatch__chip" style={{ backgroundColor: swatch.color }}>
                  {selected && <Check size={14} strokeWidth={3} aria-hidden />}
                </span>
                <span className="visually-hidden">{swatch.name}</span>
              </label>
            );
          })}
          <label
            className={`swatch swatch--custom${customColor ? ' swatch--custom-active' : ''}`}
            title="Custom colour"
          >
            <input
              type="color"
              className="swatch__picker"
              value={values.brandColor ?? '#5b3df5'}
              aria-label="Custom colour"
              onChange={(event) => props.onColor(event.target.value.toUpperCase())}
            />
            <span className="swatch__custom-label">Custom</span>
          </label>
          {values.brandColor && (
            <span className="swatches__value mono">{values.brandColor.toUpperCase()}</span>
          )}
        </div>
        <FieldsetError error={form.errorFor('brandColor')} />
      </fieldset>
    </section>
  );
}
