import { useId } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ROLES, SetUserRolesInput, type Role, type UserSummary } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/Field';
import { useChannelMutation } from '../../ui/query';
import { useContractForm } from '../../ui/useContractForm';

/**
 * An existing user's roles, changed in a dialog with the boxes as they are now. A refusal (her own
 * admin role, the last admin's, a therapist with times still to keep) is said next to the boxes and
 * leaves them as they were ticked. Her own admin box is not offered: the main process refuses it too.
 */
export function RolesDialog({
  user,
  meId,
  onSaved,
  onClose,
}: {
  user: UserSummary;
  meId: string;
  onSaved: (user: UserSummary) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const setRoles = useChannelMutation('users.setRoles');
  const { form, showServerError } = useContractForm(SetUserRolesInput, { userId: user.id, roles: [...user.roles] });
  const { control, handleSubmit, formState, watch } = form;
  const ownAdmin = user.id === meId && user.roles.includes('admin');
  const chosen = watch('roles') ?? [];
  const losesTherapist = user.roles.includes('therapist') && !chosen.includes('therapist');
  const becomesTherapist = !user.roles.includes('therapist') && chosen.includes('therapist');
  const error = formState.errors.roles?.message;
  const errorId = `${ids}-error`;
  const lockedId = `${ids}-locked`;

  const submit = handleSubmit(async (values) => {
    const result = await setRoles.run(values);
    if (!result.ok) {
      showServerError(result.error);
      return;
    }
    onSaved(result.value);
  });

  return (
    <Dialog title={t('users.editRolesTitle', { name: user.displayName })} onClose={onClose} testId="roles-dialog">
      <p>{t('users.editRolesLead', { name: user.displayName })}</p>
      <form onSubmit={submit} noValidate>
        <Controller
          control={control}
          name="roles"
          render={({ field }) => (
            <fieldset
              className={error ? 'choices field--invalid' : 'choices'}
              aria-describedby={[ownAdmin ? lockedId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined}
            >
              <legend>{t('users.rolesLegend')}</legend>
              {ROLES.map((role, index) => {
                const locked = role === 'admin' && ownAdmin;
                const toggle = (on: boolean) => {
                  const next = new Set<Role>(field.value ?? []);
                  if (on) next.add(role);
                  else next.delete(role);
                  // In the contract's order, whatever order the boxes were ticked in.
                  field.onChange(ROLES.filter((candidate) => next.has(candidate)));
                };
                return (
                  <div className="check" key={role}>
                    <input
                      id={`${ids}-${role}`}
                      type="checkbox"
                      checked={(field.value ?? []).includes(role)}
                      // Held by the field's value, not the box: a disabled box still counts as ticked.
                      disabled={locked}
                      aria-describedby={locked ? lockedId : undefined}
                      onChange={(event) => toggle(event.target.checked)}
                      onBlur={field.onBlur}
                      ref={index === 0 ? field.ref : undefined}
                      {...(index === 0 ? { 'data-autofocus': true } : {})}
                    />
                    <label htmlFor={`${ids}-${role}`}>{t(`roles.${role}`)}</label>
                  </div>
                );
              })}
              {ownAdmin ? (
                <p className="field__hint" id={lockedId}>
                  {t('users.ownAdminKept')}
                </p>
              ) : null}
              {error ? (
                <p className="field__error" id={errorId}>
                  {translateMessage(error)}
                </p>
              ) : null}
            </fieldset>
          )}
        />
        {losesTherapist ? (
          <p className="warning" data-testid="roles-therapist-removed">
            {t('users.therapistRemoved')}
          </p>
        ) : null}
        {becomesTherapist ? <p data-testid="roles-therapist-added">{t('users.therapistAdded')}</p> : null}
        <FormError message={formState.errors.root?.server?.message} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('users.savingRoles') : t('users.saveRoles')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('users.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
