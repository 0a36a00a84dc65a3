import { useEffect, useId, useRef, useState } from 'react';
import { useForm, useWatch, type FieldError, type FieldErrors, type Path, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { contract, TRACKS, type ChannelInput, type OrgView, type Track } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { FormError, SelectField } from '../../ui/Field';
import { useChannelMutation } from '../../ui/query';
import { CellCheckbox, CellInput, SavedNotice } from './cells';
import { capitalise, normaliseTime, showRefusal, WEEKDAYS, type OnOrgSaved, type TherapistView } from './model';
import styles from './organisation.module.css';

const SaveTherapist = contract['org.saveTherapist'].input;
type SaveTherapistInput = ChannelInput<'org.saveTherapist'>;

/** The form keeps all seven days, working or not, so that a day ticked off and on again keeps its times. */
interface TherapistDraft {
  siteId: string;
  tracks: Track[];
  days: { works: boolean; start: string; end: string }[];
}

const DEFAULT_DAY = { start: '08:00', end: '16:30' };

function draftOf(therapist: TherapistView): TherapistDraft {
  return {
    siteId: therapist.siteId ?? '',
    tracks: [...therapist.tracks],
    days: WEEKDAYS.map((weekday) => {
      const hours = therapist.hours.find((day) => day.weekday === weekday);
      return hours ? { works: true, start: hours.start, end: hours.end } : { works: false, ...DEFAULT_DAY };
    }),
  };
}

function inputOf(userId: string, draft: TherapistDraft): SaveTherapistInput {
  return {
    userId,
    siteId: draft.siteId,
    tracks: Array.isArray(draft.tracks) ? draft.tracks : [],
    hours: draft.days.flatMap((day, index) =>
      day.works ? [{ weekday: index + 1, start: normaliseTime(day.start), end: normaliseTime(day.end) }] : [],
    ),
  };
}

/** The contract speaks of `hours.<n>` (the n-th working day sent); the form of `days.<weekday - 1>`. */
function draftField(path: string, input: SaveTherapistInput): Path<TherapistDraft> | null {
  if (path === 'siteId' || path === 'tracks') return path;
  if (path.startsWith('tracks.')) return 'tracks';
  const match = /^hours\.(\d+)\.(start|end)$/.exec(path);
  const day = match ? input.hours[Number(match[1])] : undefined;
  return day && match ? (`days.${day.weekday - 1}.${match[2] as 'start' | 'end'}` as const) : null;
}

/** Validates with the contract's own schema (end after start, at least one track, HH:mm) and puts each message on its field. */
function resolverFor(userId: string): Resolver<TherapistDraft> {
  return async (values) => {
    const input = inputOf(userId, values);
    const parsed = SaveTherapist.safeParse(input);
    const errors: FieldErrors<TherapistDraft> = {};
    const dayErrors: ({ start?: FieldError; end?: FieldError } | undefined)[] = [];
    if (!values.siteId) errors.siteId = { type: 'required', message: 'error.site.unknown' };
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const error: FieldError = { type: issue.code, message: issue.message };
      const field = draftField(issue.path.map(String).join('.'), input);
      if (field === 'siteId') errors.siteId ??= error;
      else if (field === 'tracks') errors.tracks ??= error;
      else if (field) {
        const [, index, part] = field.split('.') as [string, string, 'start' | 'end'];
        const day = (dayErrors[Number(index)] ??= {});
        day[part] ??= error;
      } else errors.root = { type: issue.code, message: issue.message } as FieldErrors<TherapistDraft>['root'];
    }
    if (dayErrors.length) errors.days = dayErrors as FieldErrors<TherapistDraft>['days'];
    return Object.keys(errors).length ? { values: {}, errors } : { values, errors: {} };
  };
}

export function TherapistEditor({
  org,
  therapist,
  shown,
  focusRequest,
  onDirtyChange,
  onSaved,
}: {
  org: OrgView;
  therapist: TherapistView;
  shown: boolean;
  focusRequest: number;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: OnOrgSaved;
}) {
  const { t } = useTranslation();
  const saveTherapistCall = useChannelMutation('org.saveTherapist');
  const headingId = useId();
  const hintId = useId();
  const idPrefix = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resolver] = useState(() => resolverFor(therapist.id));
  const form = useForm<TherapistDraft>({ resolver, defaultValues: draftOf(therapist), mode: 'onSubmit', reValidateMode: 'onChange' });
  const { register, handleSubmit, formState, setError, setValue, getValues, reset, control } = form;
  const days = useWatch({ control, name: 'days' });

  useEffect(() => onDirtyChange(formState.isDirty), [formState.isDirty, onDirtyChange]);
  // Opening the editor from the list moves the keyboard to it.
  useEffect(() => {
    if (shown && focusRequest > 0) heading.current?.focus();
  }, [shown, focusRequest]);

  const submit = handleSubmit(async (values) => {
    setNotice(null);
    const input = inputOf(therapist.id, values);
    const result = await saveTherapistCall.run(input);
    if (!result.ok) {
      showRefusal(setError, result.error, (path) => draftField(path, input));
      return;
    }
    const saved = result.value.therapists.find((candidate) => candidate.id === therapist.id);
    if (saved) {
      const fresh = draftOf(saved);
      // Days off keep the times last typed for them, ready if the day is ticked again.
      reset({ ...fresh, days: fresh.days.map((day, index) => (day.works ? day : { ...values.days[index]!, works: false })) });
    }
    const site = result.value.sites.find((candidate) => candidate.id === input.siteId)?.name ?? '';
    setNotice(t('organisation.therapists.saved', { name: therapist.displayName, site }));
    onSaved(result.value);
  });

  // Monday's times on every working day: Tuesday to Friday are ticked as worked too; a weekend day gets them only if it is worked.
  const copyMonday = () => {
    const monday = getValues('days.0');
    WEEKDAYS.forEach((weekday, index) => {
      if (index === 0) return;
      const workingDay = weekday <= 5;
      if (!workingDay && !getValues(`days.${index}.works`)) return;
      if (workingDay) setValue(`days.${index}.works`, true, { shouldDirty: true });
      setValue(`days.${index}.start`, monday.start, { shouldDirty: true });
      setValue(`days.${index}.end`, monday.end, { shouldDirty: true });
    });
  };

  const tidy = (path: `days.${number}.start` | `days.${number}.end`) => ({
    onBlur: (event: React.FocusEvent<HTMLInputElement>) => setValue(path, normaliseTime(event.target.value)),
  });

  return (
    <section id={`organisation-therapist-${therapist.id}`} className={`panel ${styles.orgEditor}`} aria-labelledby={headingId} hidden={!shown}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {therapist.displayName}
      </h3>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <SelectField
          label={t('organisation.therapists.siteLabel')}
          options={org.sites.map((site) => ({ value: site.id, label: site.name }))}
          placeholder={t('organisation.therapists.chooseSite')}
          error={formState.errors.siteId?.message}
          {...register('siteId')}
        />
        <fieldset
          className={formState.errors.tracks ? 'choices field--invalid' : 'choices'}
          aria-describedby={formState.errors.tracks ? `${idPrefix}-tracks-error` : undefined}
        >
          <legend>{t('organisation.therapists.tracksLegend')}</legend>
          {TRACKS.map((track) => (
            <div className="check" key={track}>
              <input id={`${idPrefix}-track-${track}`} type="checkbox" value={track} {...register('tracks')} />
              <label htmlFor={`${idPrefix}-track-${track}`}>{t(`tracks.${track}`)}</label>
            </div>
          ))}
          {formState.errors.tracks ? (
            <p className="field__error" id={`${idPrefix}-tracks-error`}>
              {translateMessage(formState.errors.tracks.message ?? 'error.tracks.none')}
            </p>
          ) : null}
        </fieldset>

        <table className={`table ${styles.orgTable} ${styles.orgHours}`} aria-describedby={hintId}>
          <caption>{t('organisation.therapists.hoursCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organisation.therapists.day')}</th>
              <th scope="col">{t('organisation.therapists.works')}</th>
              <th scope="col">{t('organisation.therapists.start')}</th>
              <th scope="col">{t('organisation.therapists.end')}</th>
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((weekday, index) => {
              const day = t(`organisation.weekdays.${weekday}`);
              const works = days?.[index]?.works ?? false;
              const errors = formState.errors.days?.[index];
              return (
                <tr key={weekday} className={works ? undefined : styles.orgRowOff}>
                  <th scope="row">{capitalise(day)}</th>
                  <td>
                    <CellCheckbox label={t('organisation.therapists.worksOn', { day })} {...register(`days.${index}.works`)} />
                  </td>
                  {works ? (
                    <>
                      <td>
                        <CellInput
                          label={t('organisation.therapists.startOn', { day })}
                          className={styles.orgInputTime}
                          inputMode="numeric"
                          autoComplete="off"
                          error={errors?.start?.message}
                          {...register(`days.${index}.start`, tidy(`days.${index}.start`))}
                        />
                      </td>
                      <td>
                        <CellInput
                          label={t('organisation.therapists.endOn', { day })}
                          className={styles.orgInputTime}
                          inputMode="numeric"
                          autoComplete="off"
                          error={errors?.end?.message}
                          {...register(`days.${index}.end`, tidy(`days.${index}.end`))}
                        />
                      </td>
                    </>
                  ) : (
                    <td colSpan={2} className={styles.orgMuted}>
                      {t('organisation.therapists.off')}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className={`field__hint ${styles.orgHoursHint}`} id={hintId}>
          {t('organisation.therapists.timeHint')}
        </p>
        <p>
          <button type="button" className={`button ${styles.orgButtonSmall}`} onClick={copyMonday}>
            {t('organisation.therapists.copyMonday')}
          </button>
        </p>
        <FormError message={formState.errors.root?.server?.message ?? formState.errors.root?.message} />
        <SavedNotice message={notice} />
        <div className={styles.orgFormActions}>
          <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
            {t('organisation.therapists.save')}
          </button>
          {formState.isDirty ? <span className={styles.orgUnsaved}>{t('organisation.therapists.unsavedNote')}</span> : null}
        </div>
      </form>
    </section>
  );
}
