import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  APPOINTMENT_KINDS,
  CONTACT_BY,
  GENDERS,
  IntakeInput,
  LINK_KINDS,
  OUTCOMES,
  REFERRAL_SOURCES,
  URGENCIES,
  sideOfTrack,
  type ChannelOutput,
  type ReferrerView,
  type Side,
  type SlotProposal,
  type Track,
} from '../../../preload/contract/index';
import { todayInCentre, warningKey } from '../../ui/format';
import { useDesk } from '../../ui/desk';
import { useChannelMutation, useChannelQuery, useChannelRead } from '../../ui/query';
import { useSessionMemory } from '../../ui/sessionMemory';
import { ChoiceList } from '../../ui/ChoiceList';
import { FormDateField, FormTimeField } from '../../ui/DateTimeFields';
import { useConfirm } from '../../ui/ConfirmDialog';
import { holidaysAmong } from '../../ui/holidays';
import { CheckboxField, Field, FormError, SelectField, TextAreaField } from '../../ui/Field';
import { translateMessage } from '../../i18n';
import { describeCandidate, LinkFinder, type LinkCandidate, type LinkKind } from './LinkFinder';
import styles from './reception.module.css';

type IntakeValues = ReturnType<typeof blankIntake>;
type Registered = ChannelOutput<'intake.register'>;

const DEFAULT_DURATION: Record<string, number> = { first_call: 30, first_visit: 60, individual: 60, group: 90, consultation: 60 };

function blankIntake(track: Track, siteId: string) {
  return {
    side: sideOfTrack(track),
    track,
    siteId,
    contactBy: 'self' as (typeof CONTACT_BY)[number],
    referralSource: 'self' as (typeof REFERRAL_SOURCES)[number],
    referralNote: '',
    referrerContactId: null as string | null,
    anonymous: false,
    name: '',
    personalNumber: '',
    birthYear: null as number | null,
    gender: 'unknown' as (typeof GENDERS)[number],
    municipalityCode: '',
    language: 'svenska',
    interpreterNeeded: false,
    safeContact: { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' },
    address: '',
    protectedIdentity: false,
    childrenUnder18: 0,
    links: [] as { clientId: string; kind: (typeof LINK_KINDS)[number] }[],
    urgency: 'normal' as (typeof URGENCIES)[number],
    reason: '',
    outcome: 'waiting_list' as (typeof OUTCOMES)[number],
    referredTo: '',
    booking: {
      kind: 'first_call' as (typeof APPOINTMENT_KINDS)[number],
      siteId,
      therapistId: '',
      roomId: null as string | null,
      date: todayInCentre(),
      start: '09:00',
      durationMinutes: 30,
    },
  };
}

/** The booking part of the form only counts when the outcome is a booked first appointment. */
function forSaving(values: IntakeValues) {
  return { ...values, booking: values.outcome === 'booked' ? { ...values.booking, siteId: values.siteId } : null };
}

const contractResolver = zodResolver(IntakeInput as never);
const intakeResolver: Resolver<IntakeValues> = (values, context, options) =>
  contractResolver(forSaving(values) as never, context, options as never) as never;

/** A half-typed first call, kept per side in memory only (see SessionMemory), never shown on the other side. */
interface IntakeDraft {
  values: IntakeValues;
  linked: (LinkCandidate & { kind: LinkKind })[];
}

export const intakeDraftKey = (side: Side) => `intake:draft:${side}`;
const draftKey = intakeDraftKey;
const firstTrack = (side: Side): Track => (side === 'victims' ? 'victim' : 'perpetrator');

function sameValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => sameValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Whether anything was typed or chosen beyond an empty call at the chosen site. */
function hasContent(values: IntakeValues, linked: unknown[]): boolean {
  if (linked.length > 0) return true;
  const blank = blankIntake(values.track, values.siteId);
  return !sameValues({ ...values, booking: { ...values.booking, siteId: '' } }, { ...blank, booking: { ...blank.booking, siteId: '' } });
}

const numberOrNull = (value: unknown) => (value === '' || value === null || Number.isNaN(Number(value)) ? null : Number(value));

/**
 * The first call, registered while the phone call goes on: keyboard-first, one page, grouped in
 * the order the conversation usually takes. A refused save keeps everything typed.
 */
const NO_REFERRERS: ReferrerView[] = [];

export function IntakePage() {
  const { t, i18n } = useTranslation();
  const { user, side, siteId, org, registerUnsaved } = useDesk();
  const memory = useSessionMemory();
  const tracks: Track[] = side === 'victims' ? ['victim', 'child'] : ['perpetrator'];
  const [initialDraft] = useState(() => memory.get<IntakeDraft>(user.id, draftKey(side)));
  const form = useForm<IntakeValues>({
    resolver: intakeResolver,
    defaultValues: initialDraft?.values ?? blankIntake(tracks[0]!, siteId),
    mode: 'onSubmit',
  });
  const { register, handleSubmit, formState, setValue, setError, reset, control, setFocus } = form;
  const suggestionText = (slot: SlotProposal) =>
    `${t('reception.intake.useSuggestion', { date: slot.date, start: slot.start })} – ${
      org?.therapists.find((therapist) => therapist.id === slot.therapistId)?.displayName ?? ''
    }${slot.roomId ? `, ${rooms.find((room) => room.id === slot.roomId)?.name ?? ''}` : ''}`;
  const errors = formState.errors;
  const [registered, setRegistered] = useState<(Registered & { name: string }) | null>(null);
  const [suggestions, setSuggestions] = useState<SlotProposal[] | null>(null);
  const [linked, setLinkedState] = useState<(LinkCandidate & { kind: LinkKind })[]>(initialDraft?.linked ?? []);

  // Everything typed is kept for this side as it is typed, so a side switch, another screen or the
  // lock screen loses nothing; the draft is keyed by side and so never appears on the other side.
  const draftSide = useRef(side);
  const linkedRef = useRef(linked);
  const savedRef = useRef(false);
  const keepDraft = useCallback(() => {
    if (savedRef.current) return;
    const values = form.getValues();
    if (hasContent(values, linkedRef.current)) memory.set(user.id, draftKey(draftSide.current), { values, linked: linkedRef.current });
    else memory.delete(user.id, draftKey(draftSide.current));
  }, [form, memory, user.id]);
  const setLinked = (next: (LinkCandidate & { kind: LinkKind })[]) => {
    linkedRef.current = next;
    setLinkedState(next);
    keepDraft();
  };
  useEffect(() => {
    const unsubscribe = form.subscribe({ formState: { values: true }, callback: () => keepDraft() });
    return () => {
      unsubscribe();
      keepDraft();
    };
  }, [form, keepDraft]);
  // Kept on leaving (the draft is in the session's memory): only the side switch asks.
  useEffect(
    () => registerUnsaved(() => !savedRef.current && hasContent(form.getValues(), linkedRef.current), { keptOnLeave: true }),
    [registerUnsaved, form],
  );
  // The contact persons a referral may name: current ones only, name and agency only.
  const referrers = useChannelQuery('contacts.referrers', {}).data ?? NO_REFERRERS;
  const registerCall = useChannelMutation('intake.register');
  const findSlots = useChannelRead('slots.find');
  const holidayQuestion = useConfirm();

  const [track, anonymous, outcome, kind, chosenSite] = useWatch({ control, name: ['track', 'anonymous', 'outcome', 'booking.kind', 'siteId'] });

  // Switching side shows that side's own draft, or an empty call: a half-typed call never crosses sides.
  useEffect(() => {
    if (draftSide.current === side) return;
    draftSide.current = side;
    savedRef.current = false;
    const draft = memory.get<IntakeDraft>(user.id, draftKey(side));
    linkedRef.current = draft?.linked ?? [];
    setLinkedState(linkedRef.current);
    reset(draft?.values ?? blankIntake(firstTrack(side), siteId));
    setSuggestions(null);
    setRegistered(null);
    // The site only matters for a new call; reading it here must not re-run the switch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [side, memory, user.id, reset]);

  // The desk's site (known once the premises are read) is where a new, untouched call starts.
  useEffect(() => {
    if (!hasContent(form.getValues(), linkedRef.current)) reset(blankIntake(firstTrack(draftSide.current), siteId));
  }, [siteId, form, reset]);

  useEffect(() => {
    setValue('booking.durationMinutes', DEFAULT_DURATION[kind] ?? 60);
  }, [kind, setValue]);

  const therapists = useMemo(
    () => (org?.therapists ?? []).filter((therapist) => therapist.siteId === chosenSite && therapist.tracks.includes(track)),
    [org, chosenSite, track],
  );
  const rooms = (org?.rooms ?? []).filter((room) => room.siteId === chosenSite && room.active);
  const municipalityOptions = (org?.municipalities ?? []).map((municipality) => ({
    value: municipality.code,
    label: municipality.code === 'other' ? municipality.name : `${municipality.name} (${t(`reception.intake.regions.${municipality.region}`)})`,
  }));

  // Saved: the draft has done its work and is dropped.
  useEffect(() => {
    if (!registered) return;
    savedRef.current = true;
    memory.delete(user.id, draftKey(draftSide.current));
  }, [registered, memory, user.id]);

  const submit = handleSubmit(async (values) => {
    // A first appointment on a Swedish public holiday is asked about before anything is saved, as in the calendar.
    if (values.outcome === 'booked' && values.booking.date) {
      const holidays = holidaysAmong([values.booking.date], i18n.language);
      const yes =
        holidays.length === 0 ||
        (await holidayQuestion.ask({
          title: t('calendar.ask.bookTitle'),
          reasons: holidays.map((holiday) => t('calendar.ask.holiday', { date: holiday.date, name: holiday.name })),
          confirmLabel: t('calendar.ask.bookAnyway'),
          cancelLabel: t('calendar.ask.cancel'),
        }));
      if (!yes) return;
    }
    const result = await registerCall.run(forSaving(values) as never);
    if (result.ok) {
      setRegistered({ ...result.value, name: values.name });
      return;
    }
    const fields = Object.entries(result.error.fields ?? {});
    for (const [field, message] of fields) setError(field as never, { type: 'server', message }, { shouldFocus: true });
    if (fields.length === 0) setError('root.server' as never, { type: 'server', message: result.error.message });
  });

  const suggest = async () => {
    const values = form.getValues();
    const result = await findSlots({
      side,
      siteId: values.siteId,
      clientId: null,
      groupId: null,
      newClient: { track: values.track, linkedClientIds: linked.map((link) => link.id) },
      therapistId: values.booking.therapistId || null,
      kind: values.booking.kind,
      durationMinutes: Number(values.booking.durationMinutes),
      needsRoom: values.booking.kind !== 'first_call',
      fromDate: values.booking.date || todayInCentre(),
      days: 14,
    });
    if (result.ok) setSuggestions(result.value);
    else setError('root.server' as never, { type: 'server', message: result.error.message });
  };

  const addLink = (candidate: LinkCandidate, kind: LinkKind) => {
    const next = [...linked.filter((link) => link.id !== candidate.id), { ...candidate, kind }];
    setLinked(next);
    setValue(
      'links',
      next.map((link) => ({ clientId: link.id, kind: link.kind })),
    );
    return true;
  };

  const removeLink = (id: string) => {
    const next = linked.filter((link) => link.id !== id);
    setLinked(next);
    setValue(
      'links',
      next.map((link) => ({ clientId: link.id, kind: link.kind })),
    );
  };

  if (registered) {
    return (
      <>
        <h1>{t('reception.intake.title')}</h1>
        <section className="panel panel--wide" aria-labelledby="intake-done">
          <h2 id="intake-done">{t('reception.intake.saved')}</h2>
          <h3>{t('reception.intake.routingTitle')}</h3>
          <p data-testid="routing-decision">
            <strong>{t(`routing.decision.${registered.routing.decision}`)}</strong>
          </p>
          <p>{translateMessage(registered.routing.reason)}</p>
          {registered.appointment ? (
            <p data-testid="booked-at">
              {t('reception.intake.bookedAt', {
                date: registered.appointment.localDate,
                start: registered.appointment.localStart,
                kind: t(`kinds.${registered.appointment.kind}`),
              })}
            </p>
          ) : null}
          {registered.warnings.map((warning) => (
            <p key={warning.code} className="warning">
              {t(warningKey(warning), { minutes: warning.minutes })}
            </p>
          ))}
          {outcome === 'waiting_list' ? <p>{t('reception.intake.onWaitingList')}</p> : null}
          <div className="actions">
            <button
              type="button"
              className="button button--primary"
              autoFocus
              onClick={() => {
                reset(blankIntake(tracks[0]!, siteId));
                linkedRef.current = [];
                setLinkedState([]);
                savedRef.current = false;
                setSuggestions(null);
                setRegistered(null);
              }}
            >
              {t('reception.intake.next')}
            </button>
            <a className="button" href={`#/reception/clients?id=${registered.clientId}`}>
              {t('reception.intake.openClient')}
            </a>
          </div>
        </section>
      </>
    );
  }

  return (
    <>
      <h1>{t('reception.intake.title')}</h1>
      <p className="lead">{t('reception.intake.lead')}</p>
      <form onSubmit={submit} noValidate className="intake">
        <fieldset className="panel panel--wide">
          <legend>{t('reception.intake.callSection')}</legend>
          <div className="grid">
            <SelectField
              label={t('reception.intake.track')}
              options={tracks.map((value) => ({ value, label: t(`tracks.${value}`) }))}
              error={errors.track?.message}
              {...register('track')}
            />
            <SelectField
              label={t('reception.intake.site')}
              options={(org?.sites ?? []).map((site) => ({ value: site.id, label: site.name }))}
              error={errors.siteId?.message}
              {...register('siteId')}
            />
            <SelectField
              label={t('reception.intake.contactBy')}
              options={CONTACT_BY.map((value) => ({ value, label: t(`contactBy.${value}`) }))}
              error={errors.contactBy?.message}
              {...register('contactBy')}
            />
            <SelectField
              label={t('reception.intake.referralSource')}
              options={REFERRAL_SOURCES.map((value) => ({ value, label: t(`referralSources.${value}`) }))}
              error={errors.referralSource?.message}
              {...register('referralSource')}
            />
            <SelectField
              label={t('contacts.referrer.label')}
              hint={t('contacts.referrer.hint')}
              placeholder={t('contacts.referrer.none')}
              options={referrers.map((referrer) => ({
                value: referrer.id,
                label: t('contacts.referrer.option', {
                  name: referrer.name,
                  agency: referrer.unit ? `${referrer.agency}, ${referrer.unit}` : referrer.agency,
                }),
              }))}
              error={errors.referrerContactId?.message}
              {...register('referrerContactId', { setValueAs: (value) => (value ? value : null) })}
            />
          </div>
          <Field label={t('reception.intake.referralNote')} autoComplete="off" error={errors.referralNote?.message} {...register('referralNote')} />
        </fieldset>

        <fieldset className="panel panel--wide">
          <legend>{t('reception.intake.personSection')}</legend>
          <CheckboxField
            label={t('reception.intake.anonymous')}
            {...register('anonymous', {
              onChange: (event: { target: { checked: boolean } }) => {
                if (event.target.checked) setValue('personalNumber', '');
              },
            })}
          />
          <div className="grid">
            <Field
              label={anonymous ? t('reception.intake.alias') : t('reception.intake.name')}
              hint={anonymous ? t('reception.intake.aliasHint') : undefined}
              autoComplete="off"
              error={errors.name?.message}
              {...register('name')}
            />
            <Field
              label={t('reception.intake.personalNumber')}
              hint={t('reception.intake.personalNumberHint')}
              autoComplete="off"
              inputMode="numeric"
              disabled={anonymous}
              error={errors.personalNumber?.message}
              {...register('personalNumber')}
            />
            <Field
              label={t('reception.intake.birthYear')}
              type="number"
              inputMode="numeric"
              error={errors.birthYear?.message}
              {...register('birthYear', { setValueAs: numberOrNull })}
            />
            <SelectField
              label={t('reception.intake.gender')}
              options={GENDERS.map((value) => ({ value, label: t(`genders.${value}`) }))}
              error={errors.gender?.message}
              {...register('gender')}
            />
            <SelectField
              label={t('reception.intake.municipality')}
              placeholder={t('reception.intake.chooseMunicipality')}
              options={municipalityOptions}
              error={errors.municipalityCode?.message}
              {...register('municipalityCode')}
            />
            <Field label={t('reception.intake.language')} autoComplete="off" error={errors.language?.message} {...register('language')} />
          </div>
          <CheckboxField label={t('reception.intake.interpreterNeeded')} {...register('interpreterNeeded')} />
        </fieldset>

        <fieldset className="panel panel--wide">
          <legend>{t('reception.intake.safeSection')}</legend>
          <p className="field__hint">{t('reception.intake.safeLead')}</p>
          <div className="grid">
            <Field
              label={t('reception.intake.phone')}
              type="tel"
              autoComplete="off"
              error={errors.safeContact?.phone?.message}
              {...register('safeContact.phone')}
            />
            <Field
              label={t('reception.intake.safeTimes')}
              autoComplete="off"
              error={errors.safeContact?.safeTimes?.message}
              {...register('safeContact.safeTimes')}
            />
            <Field
              label={t('reception.intake.codeWord')}
              autoComplete="off"
              error={errors.safeContact?.codeWord?.message}
              {...register('safeContact.codeWord')}
            />
            <Field
              label={t('reception.intake.instructions')}
              autoComplete="off"
              error={errors.safeContact?.instructions?.message}
              {...register('safeContact.instructions')}
            />
          </div>
          <div className="checks">
            <CheckboxField label={t('safeContact.call')} {...register('safeContact.safeToCall')} />
            <CheckboxField label={t('safeContact.text')} {...register('safeContact.safeToText')} />
            <CheckboxField label={t('safeContact.voicemail')} {...register('safeContact.safeVoicemail')} />
          </div>
          <Field label={t('reception.intake.address')} autoComplete="off" error={errors.address?.message} {...register('address')} />
          <CheckboxField label={t('reception.intake.protectedIdentity')} {...register('protectedIdentity')} />
        </fieldset>

        <fieldset className="panel panel--wide">
          <legend>{t('reception.intake.householdSection')}</legend>
          <Field
            label={t('reception.intake.childrenUnder18')}
            type="number"
            min={0}
            max={30}
            inputMode="numeric"
            error={errors.childrenUnder18?.message}
            {...register('childrenUnder18', { setValueAs: (value) => numberOrNull(value) ?? 0 })}
          />
          {/* A group of its own within the section, not a heading: a heading here would skip a level (h1 to h3). */}
          <fieldset className="choices">
            <legend>{t('reception.intake.links')}</legend>
            {linked.length > 0 ? (
              <ul className="links" data-testid="intake-links">
                {linked.map((link) => (
                  <li key={link.id}>
                    {t(`linkKinds.${link.kind}`)}: {describeCandidate(t, link)}{' '}
                    <button type="button" className="button button--small" onClick={() => removeLink(link.id)}>
                      {t('reception.intake.linkRemove')}
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
            {/* Keyed by side: a search typed on one side is never left on the other side's screen. */}
            <LinkFinder key={side} onChoose={addLink} />
          </fieldset>
        </fieldset>

        <fieldset className="panel panel--wide">
          <legend>{t('reception.intake.assessmentSection')}</legend>
          <div className="grid">
            <SelectField
              label={t('reception.intake.urgency')}
              options={URGENCIES.map((value) => ({ value, label: t(`urgencies.${value}`) }))}
              error={errors.urgency?.message}
              {...register('urgency')}
            />
            <SelectField
              label={t('reception.intake.outcome')}
              options={OUTCOMES.map((value) => ({ value, label: t(`outcomes.${value}`) }))}
              error={errors.outcome?.message}
              {...register('outcome')}
            />
          </div>
          <TextAreaField label={t('reception.intake.reason')} rows={2} error={errors.reason?.message} {...register('reason')} />
          {outcome === 'referred' ? (
            <Field label={t('reception.intake.referredTo')} error={errors.referredTo?.message} {...register('referredTo')} />
          ) : null}
        </fieldset>

        {outcome === 'booked' ? (
          <fieldset className="panel panel--wide">
            <legend>{t('reception.intake.bookingSection')}</legend>
            <div className="grid">
              <SelectField
                label={t('reception.intake.kind')}
                options={APPOINTMENT_KINDS.filter((value) => value !== 'group').map((value) => ({ value, label: t(`kinds.${value}`) }))}
                error={errors.booking?.kind?.message}
                {...register('booking.kind')}
              />
              <SelectField
                label={t('reception.intake.therapist')}
                placeholder={t('reception.intake.chooseTherapist')}
                options={therapists.map((therapist) => ({ value: therapist.id, label: therapist.displayName }))}
                error={errors.booking?.therapistId?.message}
                {...register('booking.therapistId')}
              />
              <SelectField
                label={t('reception.intake.room')}
                placeholder={t('reception.intake.noRoom')}
                options={rooms.map((room) => ({ value: room.id, label: room.name }))}
                error={errors.booking?.roomId?.message}
                {...register('booking.roomId', { setValueAs: (value) => (value ? value : null) })}
              />
              <FormDateField control={control} name="booking.date" label={t('reception.intake.date')} />
              <FormTimeField control={control} name="booking.start" label={t('reception.intake.start')} />
              <Field
                label={t('reception.intake.duration')}
                type="number"
                min={5}
                max={480}
                step={5}
                error={errors.booking?.durationMinutes?.message}
                {...register('booking.durationMinutes', { valueAsNumber: true })}
              />
            </div>
            <button type="button" className="button" onClick={() => void suggest()}>
              {t('reception.intake.suggest')}
            </button>
            <div role="status" className={styles.suggestions}>
              {suggestions ? (
                <p id="intake-suggestions">{t(suggestions.length === 0 ? 'reception.intake.noSuggestions' : 'reception.intake.suggestions')}</p>
              ) : null}
            </div>
            {suggestions && suggestions.length > 0 ? (
              <ChoiceList<SlotProposal>
                aria-labelledby="intake-suggestions"
                items={suggestions}
                keyOf={(slot) => `${slot.date}-${slot.start}-${slot.therapistId}`}
                textOf={(slot) => suggestionText(slot)}
                renderItem={(slot) => suggestionText(slot)}
                onChoose={(slot) => {
                  setValue('booking.date', slot.date);
                  setValue('booking.start', slot.start);
                  setValue('booking.therapistId', slot.therapistId);
                  setValue('booking.roomId', slot.roomId);
                  setSuggestions(null);
                  // The list goes; the keyboard goes to the date it filled in, to check it.
                  setTimeout(() => setFocus('booking.date'), 0);
                }}
              />
            ) : null}
            <FormError message={(errors.booking as { message?: string } | undefined)?.message} />
          </fieldset>
        ) : null}

        <FormError message={errors.root?.server?.message} />
        <button type="submit" className="button button--primary button--large" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('reception.intake.saving') : t('reception.intake.submit')}
        </button>
        {holidayQuestion.dialog}
      </form>
    </>
  );
}
