import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ClientRecordInput, SafeContact, type ChannelOutput, type ClientDetail, type ClientSummary } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { ClientName, useDesk } from '../../ui/desk';
import { CheckboxField, Field, FormError, Notice, SelectField } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { channelKey, useChannelMutation, useChannelQuery } from '../../ui/query';
import { initialsOf } from '../../ui/initials';
import { PhoneWithInstructions } from '../../ui/SafeContact';
import { Table, type TableColumn } from '../../ui/Table';
import { useContractForm } from '../../ui/useContractForm';
import { LinkFinder, type LinkCandidate, type LinkKind } from './LinkFinder';
import { bookingHref } from './WaitingListPage';
import { z } from 'zod';
import styles from './reception.module.css';

/** Search as you type waits this long after the last key, and for this many characters. */
const SEARCH_DELAY_MS = 300;
const SEARCH_MIN_LENGTH = 2;

function clientIdFromHash(): string | null {
  const query = window.location.hash.split('?')[1];
  return query ? new URLSearchParams(query).get('id') : null;
}

type ResultColumn = 'name' | 'track' | 'born' | 'municipality' | 'phone' | 'open';

/**
 * The search's matches; sortable by what the row shows (in discreet mode: the initials, not the names).
 * Enter on a row (or its button) opens the client; V on a row shows its name in full.
 */
function ResultsTable({ results, onOpen }: { results: ClientSummary[]; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { org, discreet } = useDesk();
  const columns = useMemo<TableColumn<ClientSummary, ResultColumn>[]>(() => {
    const municipality = (client: ClientSummary) => org?.municipalities.find((candidate) => candidate.code === client.municipalityCode)?.name ?? null;
    return [
      {
        id: 'name',
        label: t('reception.clients.name'),
        rowHeader: true,
        sortBy: (client) => (client.name ? (discreet ? initialsOf(client.name) : client.name) : null),
        cell: (client, { revealed }) => (
          <>
            <ClientName name={client.name} revealed={revealed} />
            {client.isAlias ? <span className="tag">{t('reception.clients.alias')}</span> : null}
          </>
        ),
      },
      {
        id: 'track',
        label: t('reception.clients.track'),
        sortBy: (client) => t(`tracks.${client.track}`),
        cell: (client) => t(`tracks.${client.track}`),
      },
      { id: 'born', label: t('reception.clients.born'), sortBy: (client) => client.birthYear, cell: (client) => client.birthYear ?? '–' },
      { id: 'municipality', label: t('reception.clients.municipality'), sortBy: municipality, cell: (client) => municipality(client) ?? '–' },
      {
        id: 'phone',
        label: t('reception.clients.phone'),
        cell: (client, { revealed }) => <PhoneWithInstructions client={client} revealed={revealed} />,
      },
      {
        id: 'open',
        label: t('reception.clients.open'),
        hideLabel: true,
        cell: (client) => (
          <button type="button" className="button button--small" onClick={() => onOpen(client.id)}>
            {t('reception.clients.open')}
          </button>
        ),
      },
    ];
  }, [discreet, org, t, onOpen]);
  return (
    <Table
      caption={t('reception.clients.results')}
      rows={results}
      columns={columns}
      rowKey={(client) => client.id}
      rowText={(client, { revealed }) => (client.name ? (discreet && !revealed ? initialsOf(client.name) : client.name) : '')}
      onRowAction={(client) => onOpen(client.id)}
      rowTestId="client-row"
      revealable
    />
  );
}

/** Tells the desk's registry whether this form holds unsaved changes: the side switch and leaving the screen ask first. */
function useUnsavedForm(dirty: boolean) {
  const { registerUnsaved } = useDesk();
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);
  useEffect(() => registerUnsaved(() => dirtyRef.current), [registerUnsaved]);
}

const numberOrNull = (value: unknown) => (value === '' || value === null || Number.isNaN(Number(value)) ? null : Number(value));

/**
 * The record's own facts, corrected by reception: validated with the contract's schema (the identity
 * number with the same check as at intake); a refusal lands next to its field and nothing typed is lost.
 */
function RecordEditor({ client, onSaved }: { client: ClientDetail; onSaved: (detail: ClientDetail) => void }) {
  const { t } = useTranslation();
  const { side, org } = useDesk();
  const [saved, setSaved] = useState(false);
  const { form, showServerError } = useContractForm(ClientRecordInput, {
    side,
    clientId: client.id,
    anonymous: client.isAlias,
    name: client.name,
    personalNumber: client.personalNumber ?? '',
    municipalityCode: client.municipalityCode ?? '',
    childrenUnder18: client.childrenUnder18,
    language: client.language ?? '',
    interpreterNeeded: client.interpreterNeeded,
  });
  const { register, handleSubmit, formState, reset } = form;
  const errors = formState.errors;
  useUnsavedForm(formState.isDirty);
  const update = useChannelMutation('clients.update');
  const submit = handleSubmit(async (values) => {
    setSaved(false);
    const result = await update.run(values);
    if (result.ok) {
      // What was saved is the form's new starting point: nothing is unsaved any more.
      reset(values);
      setSaved(true);
      onSaved(result.value);
    } else showServerError(result.error);
  });
  const municipalityOptions = (org?.municipalities ?? []).map((municipality) => ({
    value: municipality.code,
    label: municipality.code === 'other' ? municipality.name : `${municipality.name} (${t(`reception.intake.regions.${municipality.region}`)})`,
  }));
  return (
    <form onSubmit={submit} noValidate data-testid="record-editor">
      <CheckboxField label={t('reception.clients.anonymous')} error={errors.anonymous?.message} {...register('anonymous')} />
      <div className="grid">
        <Field label={t('reception.intake.name')} autoComplete="off" error={errors.name?.message} {...register('name')} />
        <Field
          label={t('reception.clients.personalNumber')}
          hint={t('reception.intake.personalNumberHint')}
          autoComplete="off"
          inputMode="numeric"
          error={errors.personalNumber?.message}
          {...register('personalNumber')}
        />
        <SelectField
          label={t('reception.intake.municipality')}
          placeholder={t('reception.clients.municipalityChoose')}
          options={municipalityOptions}
          error={errors.municipalityCode?.message}
          {...register('municipalityCode')}
        />
        <Field
          label={t('reception.intake.childrenUnder18')}
          type="number"
          min={0}
          max={30}
          inputMode="numeric"
          error={errors.childrenUnder18?.message}
          {...register('childrenUnder18', { setValueAs: numberOrNull })}
        />
        <Field label={t('reception.intake.language')} autoComplete="off" error={errors.language?.message} {...register('language')} />
      </div>
      <CheckboxField label={t('reception.intake.interpreterNeeded')} {...register('interpreterNeeded')} />
      <FormError message={errors.root?.server?.message} />
      {saved ? <Notice>{t('reception.clients.recordSaved')}</Notice> : null}
      <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
        {t('reception.clients.saveRecord')}
      </button>
    </form>
  );
}

const ContactForm = z.object({ safeContact: SafeContact, address: z.string().trim().max(200), protectedIdentity: z.boolean() });

function ContactEditor({ client, onSaved }: { client: ClientDetail; onSaved: (detail: ClientDetail) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [saved, setSaved] = useState(false);
  // A protected client's contact comes without its instructions to those who may not see it (an intake always stores them).
  const hidden = client.protectedIdentity && client.safeContact === null;
  const { form, showServerError } = useContractForm(ContactForm, {
    safeContact: {
      phone: client.phone ?? '',
      ...(client.safeContact ?? { safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' }),
    },
    address: client.address ?? '',
    protectedIdentity: client.protectedIdentity,
  });
  const { register, handleSubmit, formState } = form;
  const errors = formState.errors;
  useUnsavedForm(formState.isDirty);
  const updateContact = useChannelMutation('clients.updateContact');
  const submit = handleSubmit(async (values) => {
    setSaved(false);
    const result = await updateContact.run({ side, clientId: client.id, ...values });
    if (result.ok) {
      setSaved(true);
      onSaved(result.value);
    } else showServerError(result.error);
  });
  // What this person cannot see is not offered for editing (and main leaves it untouched whatever a save carries).
  if (hidden) return <p className={styles.protectedNote}>{t('reception.clients.protectedContact')}</p>;
  return (
    <form onSubmit={submit} noValidate>
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
      <CheckboxField label={t('reception.intake.protectedIdentity')} error={errors.protectedIdentity?.message} {...register('protectedIdentity')} />
      <FormError message={errors.root?.server?.message} />
      {saved ? <Notice>{t('reception.clients.contactSaved')}</Notice> : null}
      <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
        {t('reception.clients.saveContact')}
      </button>
    </form>
  );
}

function LinkEditor({ client, onLinked }: { client: ClientDetail; onLinked: () => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [conflicts, setConflicts] = useState<ChannelOutput<'clients.link'>['conflicts'] | null>(null);
  const [error, setError] = useState<string | undefined>();
  const linkCall = useChannelMutation('clients.link');
  const link = async (candidate: LinkCandidate, kind: LinkKind) => {
    const result = await linkCall.run({ side, clientId: client.id, otherClientId: candidate.id, kind });
    if (!result.ok) {
      setError(result.error.message);
      return false;
    }
    setConflicts(result.value.conflicts);
    onLinked();
    return true;
  };
  return (
    <section className="panel" aria-labelledby="link-heading">
      <h3 id="link-heading">{t('reception.clients.linkTitle')}</h3>
      <LinkFinder excludeId={client.id} onChoose={link} />
      <FormError message={error} />
      {conflicts && conflicts.length === 0 ? <Notice>{t('reception.clients.linkSaved')}</Notice> : null}
      {conflicts && conflicts.length > 0 ? (
        <div className="warning" role="alert" data-testid="link-conflicts">
          {/* Only this side's own appointments: the victims' side is told why, the perpetrators' side only that they must move. */}
          <p>{t('reception.clients.linkConflicts', { count: conflicts.length })}</p>
          <ul>
            {conflicts.map((conflict) => (
              <li key={conflict.appointmentId}>{t('reception.clients.linkConflict', { date: conflict.date, start: conflict.start })}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** The client's care team: who may open the journal. Only therapists serving the client's track are offered (main refuses others). */
function CareTeamEditor({ client, onChanged }: { client: ClientDetail; onChanged: (team: ClientDetail['careTeam']) => void }) {
  const { t } = useTranslation();
  const { side, org } = useDesk();
  const [therapistId, setTherapistId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const careCalls = { 'care.assign': useChannelMutation('care.assign'), 'care.end': useChannelMutation('care.end') };
  const inTeam = new Set(client.careTeam.map((relation) => relation.therapistId));
  const choices = (org?.therapists ?? []).filter((therapist) => therapist.tracks.includes(client.track) && !inTeam.has(therapist.id));
  const change = async (channel: 'care.assign' | 'care.end', id: string, name: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(null);
    const result = await careCalls[channel].run({ side, clientId: client.id, therapistId: id });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.fields?.therapistId ?? result.error.message);
      return;
    }
    setTherapistId('');
    onChanged(result.value);
    setNotice(t(channel === 'care.assign' ? 'reception.clients.careAssigned' : 'reception.clients.careEnded', { name }));
  };
  return (
    <section className="panel" aria-labelledby="care-heading" data-testid="care-team">
      <h3 id="care-heading">{t('reception.clients.careTeam')}</h3>
      <p className="field__hint">{t('reception.clients.careTeamLead')}</p>
      {client.careTeam.length === 0 ? <p>{t('reception.clients.noCareTeam')}</p> : null}
      {client.careTeam.length > 0 ? (
        <ul className={styles.careTeam}>
          {client.careTeam.map((relation) => (
            <li key={relation.id}>
              <span>
                <strong>{relation.therapistName}</strong>{' '}
                {t('reception.clients.careSince', { date: formatDateTime(relation.startedAt).slice(0, 10) })}
              </span>
              <button
                type="button"
                className="button button--small"
                disabled={busy}
                onClick={() => void change('care.end', relation.therapistId, relation.therapistName)}
              >
                {t('reception.clients.endCare')}
                <span className="visually-hidden"> {t('reception.clients.endCareFor', { name: relation.therapistName })}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        className={styles.careAssign}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = choices.find((therapist) => therapist.id === therapistId);
          if (!chosen) {
            setError('reception.clients.chooseTherapistFirst');
            return;
          }
          void change('care.assign', chosen.id, chosen.displayName);
        }}
      >
        <SelectField
          label={t('reception.clients.assignTherapist')}
          placeholder={t('reception.clients.chooseTherapist')}
          hint={choices.length === 0 ? t('reception.clients.noTherapists') : t('reception.clients.assignHint')}
          options={choices.map((therapist) => ({ value: therapist.id, label: therapist.displayName }))}
          value={therapistId}
          error={error}
          onChange={(event) => {
            setTherapistId(event.target.value);
            setError(undefined);
          }}
        />
        <button type="submit" className="button button--primary" disabled={busy || choices.length === 0}>
          {t('reception.clients.assign')}
        </button>
      </form>
      {notice ? <Notice>{notice}</Notice> : null}
    </section>
  );
}

function ClientPanel({ clientId, onClose }: { clientId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { side, org, user } = useDesk();
  const queryClient = useQueryClient();
  const record = useChannelQuery('clients.get', { side, clientId });
  const detail = record.data ?? null;
  const error = record.error?.message ?? null;
  // A save answers with the record as it now is: shown at once, without asking again.
  const setDetail = (next: ClientDetail) => queryClient.setQueryData(channelKey('clients.get', { side, clientId }), next);
  if (error) return <FormError message={error} />;
  if (!detail) return null;
  const therapist = (id: string) => org?.therapists.find((candidate) => candidate.id === id)?.displayName ?? '';
  return (
    <section className={`panel panel--wide ${styles.clientDetail}`} data-testid="client-detail" aria-labelledby="client-heading">
      <div className="panel__head">
        <h2 id="client-heading">
          {detail.name} {detail.isAlias ? <span className="tag">{t('reception.clients.alias')}</span> : null}
        </h2>
        <div className="actions">
          {/* Booking is reception's: the schedule opens its booking form for this client, with their therapist if they have one. */}
          {user.roles.includes('receptionist') ? (
            <a className="button button--primary" href={bookingHref(detail.id)} data-testid="record-book">
              {t('reception.clients.book')}
            </a>
          ) : null}
          <button type="button" className="button" onClick={onClose}>
            {t('reception.clients.close')}
          </button>
        </div>
      </div>
      <dl className="facts">
        <dt>{t('reception.clients.track')}</dt>
        <dd>{t(`tracks.${detail.track}`)}</dd>
        <dt>{t('reception.clients.personalNumber')}</dt>
        <dd>{detail.personalNumber ?? '–'}</dd>
        <dt>{t('reception.clients.born')}</dt>
        <dd>{detail.birthYear ?? '–'}</dd>
        <dt>{t('reception.intake.gender')}</dt>
        <dd>{t(`genders.${detail.gender}`)}</dd>
        <dt>{t('reception.clients.municipality')}</dt>
        <dd>{org?.municipalities.find((municipality) => municipality.code === detail.municipalityCode)?.name ?? '–'}</dd>
        <dt>{t('reception.clients.language')}</dt>
        <dd>
          {detail.language ?? '–'}
          {detail.interpreterNeeded ? ` · ${t('reception.clients.interpreter')}` : ''}
        </dd>
        <dt>{t('reception.clients.children')}</dt>
        <dd>{detail.childrenUnder18}</dd>
        <dt>{t('reception.clients.phone')}</dt>
        <dd>
          <PhoneWithInstructions client={detail} revealed />
        </dd>
      </dl>
      {detail.identityNumberReusedAt ? (
        <div className="warning" role="note" data-testid="identity-reused">
          <p>{t('reception.clients.identityReused', { date: formatDateTime(detail.identityNumberReusedAt).slice(0, 10) })}</p>
        </div>
      ) : null}
      {detail.separationClashes.length > 0 ? (
        <div className="warning" role="note" data-testid="separation-clashes">
          <p>{t('reception.clients.separationClashes', { count: detail.separationClashes.length })}</p>
          <ul>
            {detail.separationClashes.map((clash) => (
              <li key={clash.appointmentId}>{t('reception.clients.linkConflict', { date: clash.date, start: clash.start })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {detail.onWaitingListSince ? (
        <p className="notice">{t('reception.clients.waitingSince', { date: formatDateTime(detail.onWaitingListSince).slice(0, 10) })}</p>
      ) : null}

      <h3>{t('reception.clients.links')}</h3>
      {detail.links.length === 0 ? <p>{t('reception.clients.noLinks')}</p> : null}
      <ul className="links">
        {detail.links.map((link) => (
          <li key={link.id}>
            {link.otherSide
              ? t('reception.clients.otherSideLink', { kind: t(`linkKinds.${link.kind}`) })
              : `${t(`linkKinds.${link.kind}`)}: ${link.otherName ?? ''}`}
          </li>
        ))}
      </ul>

      <h3>{t('reception.clients.intakes')}</h3>
      <ul className="links">
        {detail.intakes.map((intake) => (
          <li key={intake.id}>
            {formatDateTime(intake.receivedAt)} · {t(`referralSources.${intake.referralSource}`)}
            {intake.referrer
              ? ` (${t('contacts.referrer.shown', { name: intake.referrer.name, agency: intake.referrer.unit ? `${intake.referrer.agency}, ${intake.referrer.unit}` : intake.referrer.agency })})`
              : ''}{' '}
            · {t(`urgencies.${intake.urgency}`)} · {t(`outcomes.${intake.outcome}`)}
            {intake.referredTo ? ` (${intake.referredTo})` : ''}
            {intake.reason ? (
              <>
                <br />
                <span data-testid="intake-reason">{t('reception.clients.reason', { reason: intake.reason })}</span>
              </>
            ) : null}
            <br />
            <span className="field__hint">
              {t(`routing.decision.${intake.routing.decision}`)} – {translateMessage(intake.routing.reason)}
            </span>
          </li>
        ))}
      </ul>

      <h3>{t('reception.clients.appointments')}</h3>
      {detail.appointments.length === 0 ? <p>{t('reception.clients.noAppointments')}</p> : null}
      {detail.appointments.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">{t('reception.clients.appointments')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reception.today.time')}</th>
              <th scope="col">{t('reception.today.kind')}</th>
              <th scope="col">{t('reception.today.therapist')}</th>
              <th scope="col">{t('reception.today.status')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.appointments.map((appointment) => (
              <tr key={appointment.id} className={appointment.status === 'cancelled' ? styles.rowMuted : undefined}>
                <td>
                  {appointment.localDate} {appointment.localStart}–{appointment.localEnd}
                </td>
                <td>{appointment.groupName ? t('reception.today.group', { name: appointment.groupName }) : t(`kinds.${appointment.kind}`)}</td>
                <td>{therapist(appointment.therapistId)}</td>
                <td>{t(`statuses.${appointment.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {user.roles.includes('receptionist') ? (
        <section className="panel" aria-labelledby="record-heading">
          <h3 id="record-heading">{t('reception.clients.editRecord')}</h3>
          <RecordEditor key={detail.id} client={detail} onSaved={setDetail} />
        </section>
      ) : null}
      <CareTeamEditor client={detail} onChanged={(careTeam) => setDetail({ ...detail, careTeam })} />
      <section className="panel" aria-labelledby="contact-heading">
        <h3 id="contact-heading">
          {detail.protectedIdentity && detail.safeContact === null ? t('reception.clients.safeContact') : t('reception.clients.editContact')}
        </h3>
        <ContactEditor key={JSON.stringify([detail.phone, detail.safeContact, detail.protectedIdentity])} client={detail} onSaved={setDetail} />
      </section>
      {/* Linking looks across sides: a reception task (admins see the record, they do not link). */}
      {user.roles.includes('receptionist') ? <LinkEditor client={detail} onLinked={() => void record.refetch()} /> : null}
    </section>
  );
}

/** Find a client fast; the list obeys discreet mode, the opened record is the receptionist's deliberate look. */
export function ClientsPage() {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState<{ side: typeof side; query: string } | null>(null);
  const [openId, setOpenId] = useState<string | null>(clientIdFromHash);
  // A search belongs to the side it was made on: after a switch nothing is shown, and nothing is searched on the other side unasked.
  const found = useChannelQuery('clients.search', submitted && submitted.side === side ? { side, query: submitted.query } : null, {
    keepPrevious: true,
  });
  const results = submitted && submitted.side === side ? (found.data ?? null) : null;
  const error = submitted && submitted.side === side ? found.error?.message : undefined;

  const search = () => {
    const trimmed = query.trim();
    if (!trimmed) return;
    if (submitted && submitted.side === side && submitted.query === trimmed) void found.refetch();
    else setSubmitted({ side, query: trimmed });
  };

  // Search as you type: a pause in typing asks once (each search one logged call); a side switch never
  // searches the other side with what was typed here, so the side is read, not watched.
  const sideRef = useRef(side);
  useEffect(() => {
    sideRef.current = side;
  }, [side]);
  useEffect(() => {
    const trimmed = query.trim();
    if (trimmed.length < SEARCH_MIN_LENGTH) return;
    const timer = setTimeout(() => setSubmitted({ side: sideRef.current, query: trimmed }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  return (
    <>
      <h1>{t('reception.clients.title')}</h1>
      <p className="lead">{t('reception.clients.lead')}</p>
      <form
        className="inline-search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          search();
        }}
      >
        <Field
          label={t('reception.clients.search')}
          type="search"
          value={query}
          autoComplete="off"
          autoFocus
          hint={t('reception.clients.searchHint')}
          onChange={(event) => setQuery(event.target.value)}
          error={error}
        />
        <button type="submit" className="button button--primary">
          {t('reception.clients.searchButton')}
        </button>
      </form>
      <p role="status" className={results && results.length === 0 ? undefined : 'visually-hidden'}>
        {results ? (results.length === 0 ? t('reception.clients.noResults') : t('reception.clients.resultCount', { count: results.length })) : ''}
      </p>
      {results && results.length > 0 ? <ResultsTable results={results} onOpen={setOpenId} /> : null}
      {openId ? <ClientPanel key={`${side}-${openId}`} clientId={openId} onClose={() => setOpenId(null)} /> : null}
    </>
  );
}
