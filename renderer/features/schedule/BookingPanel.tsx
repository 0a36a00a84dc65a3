import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  APPOINTMENT_KINDS,
  contract,
  type AppointmentKind,
  type AppointmentView,
  type BookingWarning,
  type ClientSummary,
  type SlotProposal,
} from '../../../preload/contract/index';
import { ClientName, useDesk } from '../../ui/desk';
import { ChoiceList } from '../../ui/ChoiceList';
import { FormError, Notice, SelectField, TextAreaField } from '../../ui/Field';
import { useChannelMutation, useChannelQuery, useChannelRead } from '../../ui/query';
import { useContractForm } from '../../ui/useContractForm';
import { ClientPicker } from './ClientPicker';
import { isLocalDate } from './dates';
import { todayInCentre } from '../../ui/format';
import { useAskFirst } from './askFirst';
import { SavedNotice, WhenFields, whenText } from './parts';
import { DEFAULT_DURATION, ROOM_OPTIONAL_KINDS, shortName, useSideResources } from './resources';
import styles from './schedule.module.css';

const BookInput = contract['appointments.book'].input;

/** A time chosen in the calendar: the booking opens on it, with the column's therapist or room. */
export interface BookingSlot {
  date: string;
  start: string;
  therapistId: string | null;
  roomId: string | null;
}
const PROPOSAL_DAYS = 14;

/** A booking opened for a known client: who, and what kind of visit (a first visit from the waiting list). */
export interface BookingPrefill {
  clientId: string;
  kind: AppointmentKind;
}

const proposalKey = (proposal: SlotProposal) => `${proposal.date}-${proposal.start}-${proposal.therapistId}`;

/**
 * After a client's booking: the therapist booked may be made responsible for the client, so that the
 * journal opens through a care relation rather than emergency access. Not offered when they already are.
 */
function CareOffer({ appointment, therapistName }: { appointment: AppointmentView; therapistName: string }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [assigned, setAssigned] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const record = useChannelQuery('clients.get', { side, clientId: appointment.clientId! });
  const careAssign = useChannelMutation('care.assign');
  const inTeam = record.data?.careTeam.some((relation) => relation.therapistId === appointment.therapistId) ?? false;
  const state = assigned ? 'assigned' : record.isPending ? 'asking' : record.data && !inTeam ? 'offer' : 'hidden';
  const assign = async () => {
    setError(undefined);
    const result = await careAssign.run({ side, clientId: appointment.clientId!, therapistId: appointment.therapistId });
    if (result.ok) setAssigned(true);
    else setError(result.error.fields?.therapistId ?? result.error.message);
  };
  if (state === 'asking' || state === 'hidden') return null;
  if (state === 'assigned') return <Notice>{t('schedule.book.careAssigned', { name: therapistName })}</Notice>;
  return (
    <div className={styles.scheduleCareOffer} data-testid="care-offer">
      <button type="button" className="button" aria-describedby="care-offer-hint" onClick={() => void assign()}>
        {t('schedule.book.offerCare', { name: therapistName })}
      </button>
      <p className="field__hint" id="care-offer-hint">
        {t('schedule.book.offerCareHint')}
      </p>
      <FormError message={error} />
    </div>
  );
}

/**
 * Booking one appointment on the current side. Validated with the contract's own schema; a refusal
 * from the main process lands next to the field it concerns, and nothing typed is lost.
 */
export function BookingPanel({
  date,
  slot = null,
  prefill = null,
  onBooked,
  onClose,
}: {
  date: string;
  slot?: BookingSlot | null;
  /** Opened for a client (from the waiting list or the client's record): the client, their kind of visit and their therapist. */
  prefill?: BookingPrefill | null;
  onBooked: (appointment: AppointmentView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { side, siteId, registerUnsaved } = useDesk();
  const resources = useSideResources();
  const askFirst = useAskFirst(resources.therapists);
  const [client, setClient] = useState<ClientSummary | null>(null);
  const [proposals, setProposals] = useState<SlotProposal[] | null>(null);
  const [proposing, setProposing] = useState(false);
  const [proposalProblem, setProposalProblem] = useState<string | null>(null);
  const [picked, setPicked] = useState<SlotProposal | null>(null);
  const [saved, setSaved] = useState<{ appointment: AppointmentView; warnings: BookingWarning[] } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const savedBox = useRef<HTMLDivElement>(null);

  const defaults = {
    side,
    siteId,
    clientId: null,
    groupId: null,
    kind: prefill?.kind ?? ('individual' as AppointmentKind),
    therapistId: '',
    roomId: null,
    date,
    start: '',
    durationMinutes: DEFAULT_DURATION.individual!,
    note: '',
  };
  const { form, showServerError } = useContractForm(BookInput, defaults);
  const { register, handleSubmit, formState, setValue, getValues, getFieldState, setError, clearErrors, setFocus, watch, reset, control } = form;
  const errors = formState.errors;

  const kind = watch('kind');
  const groupList = useChannelQuery('groups.list', kind === 'group' ? { side, siteId } : null);
  // An ended group takes no further sessions: it is not offered.
  const groups = useMemo(
    () => groupList.data?.filter((group) => group.endedAt === null) ?? (groupList.isError ? [] : null),
    [groupList.data, groupList.isError],
  );
  const book = useChannelMutation('appointments.book');
  const findSlots = useChannelRead('slots.find');
  const groupId = watch('groupId');
  const therapistId = watch('therapistId');
  const roomOptional = ROOM_OPTIONAL_KINDS.includes(kind);
  const group = groups?.find((candidate) => candidate.id === groupId) ?? null;
  const track = kind === 'group' ? (group?.track ?? null) : (client?.track ?? null);
  const therapistChoices = useMemo(() => resources.therapistsFor(track), [resources, track]);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  // Opened for a client: their record (read once, and logged as any record read) gives the client and,
  // when they have one here, the therapist responsible for them.
  const prefilled = useChannelQuery('clients.get', prefill ? { side, clientId: prefill.clientId } : null);
  const prefillDone = useRef(false);
  const [prefillTherapist, setPrefillTherapist] = useState<string | null>(null);
  useEffect(() => {
    const detail = prefilled.data;
    if (!detail || prefillDone.current) return;
    prefillDone.current = true;
    const { id, track, name, isAlias, birthYear, personalNumber, municipalityCode, protectedIdentity, phone, safeContact, firstContactAt } = detail;
    setClient({ id, track, name, isAlias, birthYear, personalNumber, municipalityCode, protectedIdentity, phone, safeContact, firstContactAt });
    setValue('clientId', id, { shouldDirty: true });
    const current = detail.careTeam.find((relation) => relation.endedAt === null);
    if (current) setPrefillTherapist(current.therapistId);
  }, [prefilled.data, setValue]);
  // The therapist once the client's track has narrowed the choices: only one who serves it here is set.
  useEffect(() => {
    if (prefillTherapist && therapistChoices.some((therapist) => therapist.id === prefillTherapist)) {
      setValue('therapistId', prefillTherapist, { shouldDirty: true });
      setPrefillTherapist(null);
    }
  }, [prefillTherapist, therapistChoices, setValue]);

  // Another slot chosen in the calendar while the panel is open: the time changes, the client stays;
  // after a booking was saved, the new slot starts the next booking, for a client still to be chosen.
  const savedRef = useRef(saved);
  useEffect(() => {
    savedRef.current = saved;
  }, [saved]);
  // Unsaved while a client, a group or a note is chosen and not yet booked: the side switch and leaving the screen ask first.
  const clientRef = useRef(client);
  useEffect(() => {
    clientRef.current = client;
  }, [client]);
  useEffect(
    () =>
      registerUnsaved(() => {
        if (savedRef.current) return false;
        const values = getValues();
        return clientRef.current !== null || values.groupId !== null || (values.note ?? '').trim() !== '';
      }),
    [registerUnsaved, getValues],
  );
  useEffect(() => {
    if (!slot) return;
    if (savedRef.current) {
      setSaved(null);
      setClient(null);
      setValue('clientId', null);
      setProposals(null);
      setPicked(null);
    }
    const options = { shouldDirty: true };
    setValue('date', slot.date, options);
    setValue('start', slot.start, options);
    if (slot.therapistId) setValue('therapistId', slot.therapistId, options);
    if (slot.roomId) setValue('roomId', slot.roomId, options);
    clearErrors(['date', 'start']);
    heading.current?.focus();
  }, [slot, setValue, clearErrors]);

  // After a save the confirmation (and any warning) is where the keyboard and the screen reader are.
  useEffect(() => {
    if (saved) savedBox.current?.focus();
  }, [saved]);

  // A new kind brings its usual length, unless someone already typed one.
  useEffect(() => {
    if (!getFieldState('durationMinutes').isDirty) setValue('durationMinutes', DEFAULT_DURATION[kind] ?? 60);
    if (kind === 'group') {
      setClient(null);
      setValue('clientId', null);
    } else {
      setValue('groupId', null);
    }
    setProposals(null);
  }, [kind, getFieldState, setValue]);

  // Only therapists who serve the client's track may be chosen; one choice is no choice.
  useEffect(() => {
    const ids = therapistChoices.map((therapist) => therapist.id);
    if (therapistId && !ids.includes(therapistId)) setValue('therapistId', '');
    else if (!therapistId && ids.length === 1) setValue('therapistId', ids[0]!);
  }, [therapistChoices, therapistId, setValue]);

  const chooseClient = (chosen: ClientSummary | null) => {
    setClient(chosen);
    setValue('clientId', chosen?.id ?? null);
    clearErrors('clientId');
    setProposals(null);
    if (chosen) setTimeout(() => setFocus('therapistId'), 0);
  };

  /** What the contract cannot know: which kinds need a client, a group or a room. */
  const checkCompleteness = (): boolean => {
    const values = getValues();
    let complete = true;
    if (values.kind === 'group' && !values.groupId) {
      setError('groupId', { type: 'required', message: 'schedule.book.groupRequired' });
      complete = false;
    }
    if (values.kind !== 'group' && values.kind !== 'consultation' && !values.clientId) {
      setError('clientId', { type: 'required', message: 'schedule.book.clientRequired' });
      complete = false;
    }
    if (!ROOM_OPTIONAL_KINDS.includes(values.kind) && !values.roomId) {
      setError('roomId', { type: 'required', message: 'schedule.book.roomRequired' });
      complete = false;
    }
    return complete;
  };

  const submit = handleSubmit(
    async (values) => {
      if (!checkCompleteness()) return;
      // Ask before, not after: a past time, one outside the therapist's hours or a holiday waits for a yes.
      if (!(await askFirst.confirm(values, 'book'))) return;
      const result = await book.run(values);
      if (!result.ok) {
        showServerError(result.error);
        if (result.error.fields?.clientId) document.querySelector<HTMLElement>('[data-field="clientId"]')?.focus();
        return;
      }
      setSaved(result.value);
      onBooked(result.value.appointment);
    },
    () => {
      checkCompleteness();
    },
  );

  const propose = async () => {
    const values = getValues();
    setPicked(null);
    setProposalProblem(null);
    const duration = Number(values.durationMinutes);
    const needsClient = values.kind !== 'group' && values.kind !== 'consultation';
    if (!Number.isInteger(duration) || duration < 5 || (needsClient && !values.clientId) || (values.kind === 'group' && !values.groupId)) {
      checkCompleteness();
      setProposalProblem('schedule.book.fixFirst');
      return;
    }
    const today = todayInCentre();
    const fromDate = isLocalDate(values.date) && values.date > today ? values.date : today;
    setProposing(true);
    const result = await findSlots({
      side,
      siteId,
      clientId: values.clientId ?? null,
      groupId: values.groupId ?? null,
      therapistId: values.therapistId || null,
      kind: values.kind,
      durationMinutes: duration,
      needsRoom: !ROOM_OPTIONAL_KINDS.includes(values.kind) || values.roomId !== null,
      fromDate,
      days: PROPOSAL_DAYS,
    });
    setProposing(false);
    if (!result.ok) {
      setProposals(null);
      setProposalProblem(result.error.message);
      return;
    }
    setProposals(result.value);
  };

  const pick = (proposal: SlotProposal) => {
    const options = { shouldDirty: true };
    setValue('date', proposal.date, options);
    setValue('start', proposal.start, options);
    setValue('therapistId', proposal.therapistId, options);
    setValue('roomId', proposal.roomId, options);
    clearErrors(['date', 'start', 'therapistId', 'roomId']);
    setPicked(proposal);
    setTimeout(() => saveButton.current?.focus(), 0);
  };

  if (saved) {
    const { appointment, warnings } = saved;
    return (
      <section className={`panel ${styles.schedulePanel}`} aria-labelledby="booking-heading">
        <h2 id="booking-heading">{t('schedule.book.title')}</h2>
        <div ref={savedBox} tabIndex={-1} className={styles.schedulePanelFocus}>
          <SavedNotice
            message={t('schedule.book.booked', {
              when: whenText(t, { date: appointment.localDate, start: appointment.localStart, end: appointment.localEnd }),
            })}
            warningsTitle={t('schedule.book.warningsTitle')}
            warnings={warnings}
          />
        </div>
        <p className={styles.scheduleSavedWho}>
          {appointment.clientName ? (
            <ClientName name={appointment.clientName} />
          ) : appointment.groupName ? (
            t('schedule.group', { name: appointment.groupName })
          ) : null}
          {' · '}
          {t(`kinds.${appointment.kind}`)} · {resources.therapistName(appointment.therapistId)}
          {appointment.roomId ? ` · ${resources.roomName(appointment.roomId)}` : ''}
        </p>
        {appointment.clientId ? <CareOffer appointment={appointment} therapistName={resources.therapistName(appointment.therapistId)} /> : null}
        <div className={styles.scheduleActions}>
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              reset({ ...defaults, date: appointment.localDate });
              setClient(null);
              setProposals(null);
              setPicked(null);
              setSaved(null);
              setTimeout(() => heading.current?.focus(), 0);
            }}
          >
            {t('schedule.book.another')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('schedule.book.close')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className={`panel ${styles.schedulePanel}`} aria-labelledby="booking-heading">
      <div className={styles.schedulePanelHead}>
        <h2 id="booking-heading" ref={heading} tabIndex={-1}>
          {t('schedule.book.title')}
        </h2>
        <button type="button" className="button button--small" onClick={onClose}>
          {t('schedule.book.close')}
        </button>
      </div>
      <form onSubmit={submit} noValidate className={styles.scheduleBook}>
        <div className={styles.scheduleBookFields}>
          <SelectField
            label={t('schedule.book.kind')}
            options={APPOINTMENT_KINDS.map((value) => ({ value, label: t(`kinds.${value}`) }))}
            error={errors.kind?.message}
            {...register('kind')}
          />
          {kind === 'group' ? (
            <SelectField
              label={t('schedule.book.group')}
              placeholder={t('schedule.book.chooseGroup')}
              options={(groups ?? []).map((candidate) => ({ value: candidate.id, label: `${candidate.name} (${t(`tracks.${candidate.track}`)})` }))}
              hint={groups && groups.length === 0 ? t('schedule.book.noGroups') : undefined}
              error={errors.groupId?.message}
              {...register('groupId', { setValueAs: (value: string | null) => (value ? value : null) })}
            />
          ) : (
            <ClientPicker value={client} onChange={chooseClient} error={errors.clientId?.message} optional={kind === 'consultation'} />
          )}
          <SelectField
            label={t('schedule.book.therapist')}
            placeholder={t('schedule.book.chooseTherapist')}
            options={therapistChoices.map((therapist) => ({ value: therapist.id, label: therapist.displayName }))}
            hint={t('schedule.book.therapistHint')}
            error={errors.therapistId?.message}
            {...register('therapistId')}
          />
          <SelectField
            label={t('schedule.book.room')}
            placeholder={roomOptional ? t('schedule.book.noRoom') : t('schedule.book.chooseRoom')}
            options={resources.rooms.map((room) => ({ value: room.id, label: room.name }))}
            error={errors.roomId?.message}
            {...register('roomId', { setValueAs: (value: string | null) => (value ? value : null) })}
          />
          <WhenFields
            control={control}
            duration={register('durationMinutes', { valueAsNumber: true })}
            errors={{ date: errors.date?.message, start: errors.start?.message, duration: errors.durationMinutes?.message }}
          />
          <TextAreaField
            label={t('schedule.book.note')}
            hint={t('schedule.book.noteHint')}
            rows={2}
            error={errors.note?.message}
            {...register('note')}
          />
        </div>

        <div className={styles.scheduleBookProposals}>
          <h3 id="proposals-heading">{t('schedule.book.proposals')}</h3>
          <p className="field__hint" id="proposals-hint">
            {t('schedule.book.proposalsHint')}
          </p>
          <button type="button" className="button" onClick={() => void propose()} disabled={proposing}>
            {proposing ? t('schedule.book.proposing') : t('schedule.book.propose')}
          </button>
          <div aria-live="polite">
            {proposalProblem ? <p className="field__error">{t(proposalProblem)}</p> : null}
            {proposals && proposals.length === 0 ? <p className={styles.scheduleMuted}>{t('schedule.book.noProposals')}</p> : null}
            {picked ? (
              <p className={styles.schedulePicked}>
                {t('schedule.book.picked', { when: whenText(t, { date: picked.date, start: picked.start, end: picked.end }) })}
              </p>
            ) : null}
          </div>
          {proposals && proposals.length > 0 ? (
            <ChoiceList<SlotProposal>
              aria-labelledby="proposals-heading"
              aria-describedby="proposals-hint"
              items={proposals}
              keyOf={proposalKey}
              textOf={(proposal) => whenText(t, proposal)}
              chosenKey={picked ? proposalKey(picked) : null}
              onChoose={pick}
              renderItem={(proposal) => (
                <>
                  <span className={styles.scheduleProposalWhen}>{whenText(t, proposal)}</span>
                  <span className={styles.scheduleProposalWho}>
                    {shortName(resources.therapistName(proposal.therapistId))}
                    {proposal.roomId ? ` · ${resources.roomName(proposal.roomId)}` : ` · ${t('schedule.phone')}`}
                  </span>
                </>
              )}
            />
          ) : null}
        </div>

        <div className={styles.scheduleBookFooter}>
          <FormError message={errors.root?.server?.message} />
          <button type="submit" className="button button--primary" ref={saveButton} disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('schedule.book.saving') : t('schedule.book.save')}
          </button>
        </div>
      </form>
      {askFirst.dialog}
    </section>
  );
}
