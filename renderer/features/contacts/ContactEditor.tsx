import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  AGENCY_KINDS,
  ContactInput,
  type AgencyKind,
  type ChannelOutput,
  type ContactView,
  type NetworkDayView,
  type OrgView,
} from '../../../preload/contract/index';
import { Field, FormError, SelectField } from '../../ui/Field';
import { todayInCentre } from '../../ui/format';
import { useChannelMutation } from '../../ui/query';
import { useConfirm } from '../../ui/ConfirmDialog';
import { FormDateField } from '../../ui/DateTimeFields';
import styles from './contacts.module.css';

export type SavedContact = ChannelOutput<'contacts.save'>;

/** The form's own values: the selects and the end date hold '' for "none", which the contract knows as null. */
interface ContactValues {
  id: string | null;
  name: string;
  agencyKind: AgencyKind | '';
  agency: string;
  unit: string;
  municipalityCode: string;
  role: string;
  email: string;
  phone: string;
  assignmentStart: string;
  assignmentEnd: string;
}

function valuesOf(contact: ContactView | null): ContactValues {
  return {
    id: contact?.id ?? null,
    name: contact?.name ?? '',
    agencyKind: contact?.agencyKind ?? '',
    agency: contact?.agency ?? '',
    unit: contact?.unit ?? '',
    municipalityCode: contact?.municipalityCode ?? '',
    role: contact?.role ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    assignmentStart: contact?.assignmentStart ?? todayInCentre(),
    assignmentEnd: contact?.assignmentEnd ?? '',
  };
}

/** What the contract expects: '' for "none" becomes null. */
function forSaving(values: ContactValues) {
  return {
    ...values,
    municipalityCode: values.municipalityCode || null,
    assignmentEnd: (values.assignmentEnd ?? '').trim() || null,
  };
}

// The contract's own schema validates the form, exactly as the main process will.
const contractResolver = zodResolver(ContactInput as never);
const contactResolver: Resolver<ContactValues> = (values, context, options) =>
  contractResolver(forSaving(values) as never, context, options as never) as never;

/**
 * Adds or changes one contact person. Errors are shown next to their field, from the form's own
 * check or from the main process; a refused save keeps everything typed.
 */
export function ContactEditor({
  contact,
  org,
  days,
  onSaved,
  onDeleted,
  onCancel,
}: {
  contact: ContactView | null;
  org: OrgView;
  days: NetworkDayView[];
  onSaved: (saved: SavedContact) => void;
  onDeleted: (name: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const saveCall = useChannelMutation('contacts.save');
  const deleteCall = useChannelMutation('contacts.delete');
  const { ask, dialog } = useConfirm();
  const form = useForm<ContactValues>({ resolver: contactResolver, defaultValues: valuesOf(contact), mode: 'onSubmit', reValidateMode: 'onChange' });
  const { register, handleSubmit, formState, setError, control } = form;
  const errors = formState.errors;
  const heading = useRef<HTMLHeadingElement>(null);
  const [deleteError, setDeleteError] = useState<string | undefined>();

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const submit = handleSubmit(async (values) => {
    const result = await saveCall.run(forSaving(values) as never);
    if (result.ok) {
      onSaved(result.value);
      return;
    }
    const fields = Object.entries(result.error.fields ?? {}).filter(([field]) => field !== '_');
    for (const [field, message] of fields) setError(field as keyof ContactValues, { type: 'server', message }, { shouldFocus: true });
    if (fields.length === 0) setError('root.server', { type: 'server', message: result.error.message });
  });

  const remove = async () => {
    if (!contact) return;
    const yes = await ask({
      title: t('contacts.editor.confirmDeleteTitle', { name: contact.name }),
      reasons: [t('contacts.editor.confirmDeleteWhat')],
      confirmLabel: t('contacts.editor.delete'),
      cancelLabel: t('contacts.editor.cancel'),
    });
    if (!yes) return;
    const result = await deleteCall.run({ id: contact.id });
    if (result.ok) onDeleted(contact.name);
    else setDeleteError(result.error.message);
  };

  const attended = contact ? days.filter((day) => day.attendeeIds.includes(contact.id)) : [];
  const municipalities = org.municipalities.filter((municipality) => municipality.code !== 'other');
  const headingText = contact ? t('contacts.editor.titleEdit', { name: contact.name }) : t('contacts.editor.titleNew');

  return (
    <section className={`panel panel--wide ${styles.contactsEditor}`} aria-labelledby="contact-editor-heading">
      <h2 id="contact-editor-heading" ref={heading} tabIndex={-1}>
        {headingText}
      </h2>
      <form onSubmit={submit} noValidate>
        <fieldset className={styles.contactsEditorGroup}>
          <legend>{t('contacts.editor.groups.person')}</legend>
          <div className="grid">
            <Field id="contact-name" label={t('contacts.editor.name')} autoComplete="off" error={errors.name?.message} {...register('name')} />
            <Field id="contact-role" label={t('contacts.editor.role')} autoComplete="off" error={errors.role?.message} {...register('role')} />
          </div>
        </fieldset>
        <fieldset className={styles.contactsEditorGroup}>
          <legend>{t('contacts.editor.groups.agency')}</legend>
          <div className="grid">
            <SelectField
              id="contact-agencyKind"
              label={t('contacts.editor.agencyKind')}
              placeholder={t('contacts.editor.chooseAgencyKind')}
              options={AGENCY_KINDS.map((kind) => ({ value: kind, label: t(`contacts.agencyKinds.${kind}`) }))}
              error={errors.agencyKind?.message}
              {...register('agencyKind')}
            />
            <Field
              id="contact-agency"
              label={t('contacts.editor.agency')}
              hint={t('contacts.editor.agencyHint')}
              autoComplete="off"
              error={errors.agency?.message}
              {...register('agency')}
            />
            <Field id="contact-unit" label={t('contacts.editor.unit')} autoComplete="off" error={errors.unit?.message} {...register('unit')} />
            <SelectField
              id="contact-municipalityCode"
              label={t('contacts.editor.municipality')}
              placeholder={t('contacts.editor.wholeArea')}
              options={municipalities.map((municipality) => ({ value: municipality.code, label: municipality.name }))}
              error={errors.municipalityCode?.message}
              {...register('municipalityCode')}
            />
          </div>
        </fieldset>
        <fieldset className={styles.contactsEditorGroup} aria-describedby="contact-reach-hint">
          <legend>{t('contacts.editor.groups.reach')}</legend>
          <p className="field__hint" id="contact-reach-hint">
            {t('contacts.editor.reachHint')}
          </p>
          <div className="grid">
            <Field
              id="contact-email"
              type="email"
              label={t('contacts.editor.email')}
              autoComplete="off"
              error={errors.email?.message}
              {...register('email')}
            />
            <Field
              id="contact-phone"
              type="tel"
              label={t('contacts.editor.phone')}
              autoComplete="off"
              error={errors.phone?.message}
              {...register('phone')}
            />
          </div>
        </fieldset>
        <fieldset className={styles.contactsEditorGroup} aria-describedby="contact-assignment-hint">
          <legend>{t('contacts.editor.groups.assignment')}</legend>
          <p className="field__hint" id="contact-assignment-hint">
            {t('contacts.editor.endHint')}
          </p>
          <div className="grid">
            <FormDateField control={control} name="assignmentStart" label={t('contacts.editor.start')} />
            <FormDateField control={control} name="assignmentEnd" label={t('contacts.editor.end')} />
          </div>
        </fieldset>
        <FormError message={errors.root?.server?.message} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('contacts.editor.saving') : t('contacts.editor.save')}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            {t('contacts.editor.cancel')}
          </button>
        </div>
      </form>

      {contact ? (
        <div className={styles.contactsEditorMore}>
          <h3>{t('contacts.editor.attended')}</h3>
          {attended.length ? (
            <ul className={styles.contactsEditorDays}>
              {attended.map((day) => (
                <li key={day.id}>
                  {day.date} · {day.title}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('contacts.editor.attendedNone')}</p>
          )}
          {contact.deletable ? (
            <>
              <button
                type="button"
                className={`button button--small ${styles.contactsEditorDelete}`}
                onClick={() => void remove()}
                aria-describedby="contact-delete-hint"
              >
                {t('contacts.editor.delete')}
              </button>
              <p className="field__hint" id="contact-delete-hint">
                {t('contacts.editor.deleteHint')}
              </p>
            </>
          ) : (
            <p className="field__hint">{t('contacts.editor.notDeletable')}</p>
          )}
          <FormError message={deleteError} />
        </div>
      ) : null}
      {dialog}
    </section>
  );
}
