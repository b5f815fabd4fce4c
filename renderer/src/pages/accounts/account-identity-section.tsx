/**
 * The form's "Instagram account" section: the account id (fixed once added), username and display name.
 */
import { FieldRow, TextInput, type FormControls } from './account-form-parts';

export function AccountIdentitySection({ form }: { form: FormControls }) {
  const { values, editing, set, touch } = form;
  return (
    <section className="form__section" aria-labelledby="form-account">
      <h3 id="form-account" className="form__heading">
        Instagram account
      </h3>
      <FieldRow
        form={form}
        field="instagramAccountId"
        label="Instagram account id"
        hint={
          editing
            ? 'The id cannot change. To connect another Instagram account, add it as a new account.'
            : 'The professional account’s user_id, a number (Meta’s dashboard → Instagram → API setup).'
        }
      >
        {(ids) => (
          <TextInput
            ids={ids}
            className="input input--mono"
            inputMode="numeric"
            autoComplete="off"
            value={values.instagramAccountId}
            readOnly={Boolean(editing)}
            onValue={(value) => set('instagramAccountId', value)}
            onBlur={() => !editing && touch('instagramAccountId')}
          />
        )}
      </FieldRow>
      <div className="form__row">
        <FieldRow form={form} field="username" label="Username">
          {(ids) => (
            <div className="input-prefix">
              <span aria-hidden>@</span>
              <TextInput
                ids={ids}
                value={values.username}
                onValue={(value) => set('username', value)}
                onBlur={() => touch('username')}
                autoComplete="off"
                spellCheck={false}
                placeholder="bakery"
              />
            </div>
          )}
        </FieldRow>
        <FieldRow form={form} field="displayName" label="Display name" optional>
          {(ids) => (
            <TextInput
              ids={ids}
              value={values.displayName}
              onValue={(value) => set('displayName', value)}
              onBlur={() => touch('displayName')}
              placeholder="Rosie’s Bakery"
            />
          )}
        </FieldRow>
      </div>
    </section>
  );
}
