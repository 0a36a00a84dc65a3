import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { AGENCY_KINDS, NetworkDayInput, type ContactView, type NetworkDayView, type OrgView } from '../../../preload/contract/index';
import { CheckboxField, Field, FormError, Notice, SelectField } from '../../ui/Field';
import { useChannelMutation } from '../../ui/query';
import { agencyLine, inNetworkOn } from './model';
import { FormDateField } from '../../ui/DateTimeFields';
import { Table, type TableColumn } from '../../ui/Table';
import styles from './contacts.module.css';

type DayColumn = 'date' | 'theme' | 'site' | 'attendees' | 'actions';

interface DayValues {
  id: string | null;
  date: string;
  title: string;
  siteId: string;
}

const forSaving = (values: DayValues) => ({ ...values, siteId: values.siteId || null });
const contractResolver = zodResolver(NetworkDayInput as never);
const dayResolver: Resolver<DayValues> = (values, context, options) =>
  contractResolver(forSaving(values) as never, context, options as never) as never;

/** Adds a network day or corrects one; errors next to the field, nothing typed lost on refusal. */
function DayForm({
  day,
  org,
  onSaved,
  onCancel,
}: {
  day: NetworkDayView | null;
  org: OrgView;
  onSaved: (day: NetworkDayView) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const saveCall = useChannelMutation('networkDays.save');
  const { register, handleSubmit, formState, setError, reset, control } = useForm<DayValues>({
    resolver: dayResolver,
    defaultValues: { id: day?.id ?? null, date: day?.date ?? '', title: day?.title ?? '', siteId: day?.siteId ?? '' },
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const errors = formState.errors;
  const heading = useRef<HTMLHeadingElement>(null);

  // Correcting a day brings the form into view; the empty form for a new day waits where it is.
  useEffect(() => {
    if (day) heading.current?.focus();
  }, [day]);

  const submit = handleSubmit(async (values) => {
    const result = await saveCall.run(forSaving(values) as never);
    if (result.ok) {
      if (!day) reset({ id: null, date: '', title: '', siteId: '' });
      onSaved(result.value);
      return;
    }
    const fields = Object.entries(result.error.fields ?? {}).filter(([field]) => field !== '_');
    for (const [field, message] of fields) setError(field as keyof DayValues, { type: 'server', message }, { shouldFocus: true });
    if (fields.length === 0) setError('root.server', { type: 'server', message: result.error.message });
  });

  const prefix = day ? `day-${day.id}` : 'day-new';
  return (
    <form className="panel panel--wide" onSubmit={submit} noValidate aria-labelledby={`${prefix}-heading`}>
      <h3 id={`${prefix}-heading`} ref={heading} tabIndex={-1}>
        {day ? t('contacts.days.editTitle', { date: day.date }) : t('contacts.days.addTitle')}
      </h3>
      <div className="grid">
        <FormDateField control={control} name="date" label={t('contacts.days.date')} />
        <Field id={`${prefix}-title`} label={t('contacts.days.formTitle')} autoComplete="off" error={errors.title?.message} {...register('title')} />
        <SelectField
          id={`${prefix}-site`}
          label={t('contacts.days.formSite')}
          placeholder={t('contacts.days.anySite')}
          options={org.sites.map((site) => ({ value: site.id, label: site.name }))}
          error={errors.siteId?.message}
          {...register('siteId')}
        />
      </div>
      <FormError message={errors.root?.server?.message} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {t('contacts.days.save')}
        </button>
        {day ? (
          <button type="button" className="button" onClick={onCancel}>
            {t('contacts.days.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/**
 * Who attended one network day: everyone whose assignment covered the day, grouped by kind of
 * agency, ticked and saved together. Someone already recorded stays on the list even if their
 * dates were corrected later, so that saving never drops them unnoticed.
 */
function Attendance({
  day,
  everyone,
  onSaved,
  onClose,
}: {
  day: NetworkDayView;
  everyone: ContactView[];
  onSaved: (day: NetworkDayView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const setAttendanceCall = useChannelMutation('networkDays.setAttendance');
  const [ticked, setTicked] = useState<Set<string>>(() => new Set(day.attendeeIds));
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const eligible = everyone.filter((contact) => inNetworkOn(contact, day.date) || day.attendeeIds.includes(contact.id));
  const toggle = (id: string, on: boolean) => {
    setSaved(null);
    setTicked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const save = async () => {
    setSaving(true);
    const result = await setAttendanceCall.run({ networkDayId: day.id, contactIds: [...ticked] });
    setSaving(false);
    if (!result.ok) {
      setError(result.error.fields?.contactIds ?? result.error.message);
      return;
    }
    setError(undefined);
    setSaved(result.value.attendeeIds.length);
    onSaved(result.value);
  };

  return (
    <section className={`panel panel--wide ${styles.contactsAttendance}`} aria-labelledby="attendance-heading">
      <h3 id="attendance-heading" ref={heading} tabIndex={-1}>
        {t('contacts.days.checklistTitle', { date: day.date, title: day.title })}
      </h3>
      <p className="field__hint">{t('contacts.days.checklistLead')}</p>
      {eligible.length === 0 ? <p>{t('contacts.days.checklistNone')}</p> : null}
      {AGENCY_KINDS.map((kind) => {
        const group = eligible.filter((contact) => contact.agencyKind === kind);
        if (group.length === 0) return null;
        return (
          <fieldset key={kind} className={styles.contactsAttendanceGroup}>
            <legend>{t(`contacts.agencyKinds.${kind}`)}</legend>
            {group.map((contact) => (
              <CheckboxField
                key={contact.id}
                id={`attends-${contact.id}`}
                label={`${contact.name}, ${agencyLine(contact)}`}
                checked={ticked.has(contact.id)}
                onChange={(event) => toggle(contact.id, event.target.checked)}
              />
            ))}
          </fieldset>
        );
      })}
      <p className={styles.contactsAttendanceCount} aria-live="polite">
        {t('contacts.days.count', { count: ticked.size })}
      </p>
      <FormError message={error} />
      {saved !== null ? <Notice>{t('contacts.days.attendanceSaved', { count: saved })}</Notice> : null}
      <div className="actions">
        <button type="button" className="button button--primary" onClick={() => void save()} disabled={saving}>
          {t('contacts.days.saveAttendance')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('contacts.days.close')}
        </button>
      </div>
    </section>
  );
}

/** The network days, latest first: add or correct a day, and tick who attended. */
export function NetworkDays({
  org,
  days,
  everyone,
  onChanged,
}: {
  org: OrgView;
  days: NetworkDayView[];
  everyone: ContactView[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [editingId, setEditingId] = useState<string | null>(null);
  const [attendanceId, setAttendanceId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const sites = new Map(org.sites.map((site) => [site.id, site.name]));
  const editing = days.find((day) => day.id === editingId) ?? null;
  const attendanceDay = days.find((day) => day.id === attendanceId) ?? null;
  const siteName = (day: NetworkDayView) => (day.siteId ? (sites.get(day.siteId) ?? day.siteId) : t('contacts.days.noSite'));
  // Latest first as they come; by date, theme, unit or head count on a header. Enter on a row opens its attendance.
  const columns: TableColumn<NetworkDayView, DayColumn>[] = [
    { id: 'date', label: t('contacts.days.date'), rowHeader: true, sortBy: (day) => day.date, cell: (day) => day.date },
    { id: 'theme', label: t('contacts.days.theme'), sortBy: (day) => day.title, cell: (day) => day.title },
    { id: 'site', label: t('contacts.days.site'), sortBy: siteName, cell: siteName },
    {
      id: 'attendees',
      label: t('contacts.days.attendees'),
      className: styles.contactsTableNumber,
      sortBy: (day) => day.attendeeIds.length,
      cell: (day) => day.attendeeIds.length,
    },
    {
      id: 'actions',
      label: t('contacts.days.actions'),
      cell: (day) => (
        <div className="row-actions">
          <button
            type="button"
            className="button button--small"
            aria-label={t('contacts.days.attendanceLabel', { date: day.date })}
            aria-expanded={day.id === attendanceId}
            onClick={() => setAttendanceId(day.id)}
          >
            {t('contacts.days.attendance')}
          </button>
          <button
            type="button"
            className="button button--small"
            aria-label={t('contacts.days.editLabel', { date: day.date })}
            onClick={() => setEditingId(day.id)}
          >
            {t('contacts.days.edit')}
          </button>
        </div>
      ),
    },
  ];

  return (
    <>
      <h2>{t('contacts.days.title')}</h2>
      <p className="lead">{t('contacts.days.lead')}</p>
      <div aria-live="polite">{notice ? <Notice>{notice}</Notice> : null}</div>
      {days.length === 0 ? (
        <p>{t('contacts.days.empty')}</p>
      ) : (
        <Table
          caption={t('contacts.days.caption')}
          className="contacts-days"
          rows={days}
          columns={columns}
          rowKey={(day) => day.id}
          rowText={(day) => day.date}
          rowClassName={(day) => (day.id === attendanceId ? styles.contactsDaysOpen : undefined)}
          onRowAction={(day) => setAttendanceId(day.id)}
        />
      )}
      {attendanceDay ? (
        <Attendance
          key={attendanceDay.id}
          day={attendanceDay}
          everyone={everyone}
          onSaved={() => onChanged()}
          onClose={() => setAttendanceId(null)}
        />
      ) : null}

      {editing ? (
        <DayForm
          key={editing.id}
          day={editing}
          org={org}
          onSaved={(saved) => {
            setEditingId(null);
            setNotice(t('contacts.days.saved', { date: saved.date }));
            onChanged();
          }}
          onCancel={() => setEditingId(null)}
        />
      ) : (
        <DayForm
          day={null}
          org={org}
          onSaved={(saved) => {
            setNotice(t('contacts.days.saved', { date: saved.date }));
            setAttendanceId(saved.id);
            onChanged();
          }}
          onCancel={() => undefined}
        />
      )}
    </>
  );
}
