import { useTranslation } from 'react-i18next';
import type { AppointmentView, SessionUser, Side } from '../../preload/contract/index';
import { BackupWarning } from '../features/backup/BackupWarning';
import { intakeDraftKey } from '../features/reception/IntakePage';
import { ClientName, useDesk, useRevealableRow } from '../ui/desk';
import { formatDateTime, todayInCentre } from '../ui/format';
import { useChannelQuery } from '../ui/query';
import { useSessionMemory } from '../ui/sessionMemory';
import styles from './app.module.css';

type Loaded<T> = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; value: T };

/** A card's read as the card shows it: the query cache keys it by side, so another side's answer never shows here. */
function loadedOf<T>(query: { status: 'pending' | 'error' | 'success'; data: T | undefined }): Loaded<T> {
  if (query.status === 'success' && query.data !== undefined) return { state: 'ready', value: query.data };
  return query.status === 'error' ? { state: 'failed' } : { state: 'loading' };
}

function Pending({ loaded }: { loaded: Loaded<unknown> }) {
  const { t } = useTranslation();
  if (loaded.state === 'loading') return <p className={styles.startCardMuted}>{t('start.loading')}</p>;
  if (loaded.state === 'failed') return <p className="warning">{t('start.loadFailed')}</p>;
  return null;
}

const SHOWN_PER_ROOM = 4;
const ARRIVED: AppointmentView['status'][] = ['arrived', 'in_session', 'done'];

function PersonRow({ time, name, detail }: { time?: string; name: string | null; detail: string }) {
  const { revealed, rowProps } = useRevealableRow();
  return (
    <li {...rowProps} className={styles.startListRow}>
      {time ? <span className={styles.startListTime}>{time}</span> : null}
      <span className={styles.startListName}>
        <ClientName name={name} revealed={revealed} />
      </span>
      <span className={styles.startListDetail}>{detail}</span>
    </li>
  );
}

/** The desk's day on one side: arrivals per waiting room, the waiting list, urgent calls with no time yet. */
function ReceptionStart({ side, siteId }: { side: Side; siteId: string }) {
  const { t } = useTranslation();
  const { user } = useDesk();
  const memory = useSessionMemory();
  const today = todayInCentre();
  // The start page may stay open all morning: it is read again after every booking and check-in made
  // here and when the window comes back into view, never on a timer (which would keep the idle lock away).
  const board = loadedOf(useChannelQuery('schedule.today', siteId ? { side, siteId, date: today } : null));
  const waiting = loadedOf(useChannelQuery('waitingList.list', { side }));
  const hasDraft = memory.get(user.id, intakeDraftKey(side)) !== undefined;
  const urgent = waiting.state === 'ready' ? waiting.value.filter((entry) => entry.urgency !== 'normal') : [];

  return (
    <section aria-labelledby="start-reception" data-testid="start-reception">
      <h2 id="start-reception" className={styles.startSectionTitle}>
        {t('start.reception.title')} – {t(`sidesShort.${side}`)}
      </h2>
      <p className={styles.startActions}>
        <a className="button button--primary" href="#/reception/intake" aria-keyshortcuts="Alt+N">
          {t('start.reception.newCall')} <kbd>Alt</kbd> + <kbd>N</kbd>
        </a>
      </p>
      {hasDraft ? (
        <p className="notice" data-testid="start-intake-draft">
          {t('start.reception.draftWaiting')} <a href="#/reception/intake">{t('start.reception.draftContinue')}</a>
        </p>
      ) : null}
      <div className={styles.startGrid}>
        <section className={styles.startCard} aria-labelledby="start-arrivals" data-testid="start-arrivals">
          <h3 id="start-arrivals">{t('start.reception.arrivalsTitle')}</h3>
          <Pending loaded={board} />
          {board.state === 'ready' && board.value.length === 0 ? <p>{t('start.reception.noRooms')}</p> : null}
          {board.state === 'ready'
            ? board.value.map((room) => {
                const booked = room.appointments.filter((appointment) => appointment.status !== 'cancelled');
                const arrived = booked.filter((appointment) => ARRIVED.includes(appointment.status)).length;
                const next = booked.filter((appointment) => appointment.status === 'booked');
                return (
                  <div key={room.waitingRoomId} className={styles.startRoom} data-testid="start-room">
                    <h4>{room.name}</h4>
                    <p className={styles.startFigureLine}>
                      <strong>{t('start.reception.arrivalsRoom', { booked: booked.length, arrived })}</strong>
                    </p>
                    {booked.length === 0 ? <p className={styles.startCardMuted}>{t('start.reception.noArrivals')}</p> : null}
                    {next.length > 0 ? (
                      <ul className={styles.startList}>
                        {next.slice(0, SHOWN_PER_ROOM).map((appointment) =>
                          appointment.groupName ? (
                            <li key={appointment.id} className={styles.startListRow}>
                              <span className={styles.startListTime}>{appointment.localStart}</span>
                              <span className={styles.startListName}>{t('start.reception.group', { name: appointment.groupName })}</span>
                              <span className={styles.startListDetail}>{t(`kinds.${appointment.kind}`)}</span>
                            </li>
                          ) : (
                            <PersonRow
                              key={appointment.id}
                              time={appointment.localStart}
                              name={appointment.clientName}
                              detail={t(`kinds.${appointment.kind}`)}
                            />
                          ),
                        )}
                      </ul>
                    ) : null}
                    {next.length > SHOWN_PER_ROOM ? (
                      <p className={styles.startCardMuted}>{t('start.reception.more', { count: next.length - SHOWN_PER_ROOM })}</p>
                    ) : null}
                  </div>
                );
              })
            : null}
          <p>
            <a href="#/reception/today">{t('start.reception.openToday')}</a>
          </p>
        </section>
        <section className={styles.startCard} aria-labelledby="start-waiting" data-testid="start-waiting">
          <h3 id="start-waiting">{t('start.reception.waitingTitle')}</h3>
          <Pending loaded={waiting} />
          {waiting.state === 'ready' ? (
            <>
              <p className={styles.startFigure} data-testid="start-waiting-count">
                {t('start.reception.waitingCount', { count: waiting.value.length })}
              </p>
              <h4>{t('start.reception.urgentTitle')}</h4>
              {urgent.length === 0 ? (
                <p className={styles.startCardMuted}>{t('start.reception.urgentNone')}</p>
              ) : (
                <ul className={styles.startList} data-testid="start-urgent">
                  {urgent.map((entry) => (
                    <PersonRow
                      key={entry.clientId}
                      name={entry.name}
                      detail={`${t(`urgencies.${entry.urgency}`)} · ${t('start.reception.urgentDays', { count: entry.daysSinceFirstContact })}`}
                    />
                  ))}
                </ul>
              )}
            </>
          ) : null}
          <p>
            <a href="#/reception/waiting">{t('start.reception.openWaiting')}</a>
          </p>
        </section>
      </div>
    </section>
  );
}

/** A therapist's day on the desk's side: her own appointments today and her unsigned drafts. */
function TherapistStart({ side }: { side: Side }) {
  const { t } = useTranslation();
  const { user, org, siteId } = useDesk();
  const today = todayInCentre();
  const ownSite = org?.therapists.find((therapist) => therapist.id === user.id)?.siteId ?? siteId;
  // The main process answers a therapist with her own appointments only.
  const day = useChannelQuery('schedule.range', ownSite ? { side, siteId: ownSite, from: today, days: 1, therapistId: user.id, roomId: null } : null);
  const appointments = loadedOf({ status: day.status, data: day.data?.filter((appointment) => appointment.status !== 'cancelled') });
  const drafts = loadedOf(useChannelQuery('journal.myDrafts', { side }));

  return (
    <div className={styles.startGrid} data-testid="start-therapist">
      <section className={styles.startCard} aria-labelledby="start-my-day" data-testid="start-my-day">
        <h2 id="start-my-day">{t('start.therapist.todayTitle')}</h2>
        <Pending loaded={appointments} />
        {appointments.state === 'ready' && appointments.value.length === 0 ? (
          <p className={styles.startCardMuted}>{t('start.therapist.noneToday')}</p>
        ) : null}
        {appointments.state === 'ready' && appointments.value.length > 0 ? (
          <ul className={styles.startList}>
            {appointments.value.map((appointment) =>
              appointment.groupName ? (
                <li key={appointment.id} className={styles.startListRow}>
                  <span className={styles.startListTime}>{appointment.localStart}</span>
                  <span className={styles.startListName}>{t('start.reception.group', { name: appointment.groupName })}</span>
                  <span className={styles.startListDetail}>{t(`statuses.${appointment.status}`)}</span>
                </li>
              ) : (
                <PersonRow
                  key={appointment.id}
                  time={appointment.localStart}
                  name={appointment.clientName}
                  detail={`${t(`kinds.${appointment.kind}`)} · ${t(`statuses.${appointment.status}`)}`}
                />
              ),
            )}
          </ul>
        ) : null}
        <p>
          <a href="#/schedule">{t('start.therapist.openSchedule')}</a>
        </p>
      </section>
      <section className={styles.startCard} aria-labelledby="start-drafts" data-testid="start-drafts">
        <h2 id="start-drafts">{t('start.therapist.draftsTitle')}</h2>
        <Pending loaded={drafts} />
        {drafts.state === 'ready' ? (
          drafts.value.length === 0 ? (
            <p className={styles.startCardMuted}>{t('start.therapist.noDrafts')}</p>
          ) : (
            <>
              <p className={styles.startFigure} data-testid="start-drafts-count">
                {t('start.therapist.draftsCount', { count: drafts.value.length })}
              </p>
              <ul className={styles.startList}>
                {drafts.value.map((draft) => (
                  <PersonRow
                    key={draft.entryId}
                    name={draft.clientName}
                    detail={t('start.therapist.draftLine', { kind: t(`journal.kinds.${draft.kind}`), at: formatDateTime(draft.updatedAt) })}
                  />
                ))}
              </ul>
            </>
          )
        ) : null}
        <p>
          <a href="#/journal">{t('start.therapist.openJournal')}</a>
        </p>
      </section>
    </div>
  );
}

const UNREVIEWED = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: true, unreviewedOnly: true };

/** An admin's duties: emergency accesses waiting for review (a count, no names) and the state of backups. */
function AdminStart({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const review = loadedOf(useChannelQuery('audit.search', { filter: UNREVIEWED, page: 0 }));
  const backup = loadedOf(useChannelQuery('backup.status', {}));
  return (
    <>
      <BackupWarning user={user} />
      <div className={styles.startGrid} data-testid="start-admin">
        <section className={styles.startCard} aria-labelledby="start-review" data-testid="start-review">
          <h2 id="start-review">{t('start.admin.reviewTitle')}</h2>
          <Pending loaded={review} />
          {review.state === 'ready' ? (
            <p
              className={review.value.total > 0 ? `${styles.startFigure} ${styles.startFigureTodo}` : styles.startCardMuted}
              data-testid="start-review-count"
            >
              {review.value.total > 0 ? t('start.admin.reviewCount', { count: review.value.total }) : t('start.admin.reviewNone')}
            </p>
          ) : null}
          <p>
            <a href="#/admin/accesslog">{t('start.admin.openLog')}</a>
          </p>
        </section>
        <section className={styles.startCard} aria-labelledby="start-backup" data-testid="start-backup">
          <h2 id="start-backup">{t('start.admin.backupTitle')}</h2>
          <Pending loaded={backup} />
          {backup.state === 'ready' && backup.value.managedByServer ? (
            <p data-testid="start-backup-server">{t('backup.server.managedByIt')}</p>
          ) : backup.state === 'ready' ? (
            <>
              {/* The warning above says why no backup is a worry; this card only states the facts. */}
              <p className={styles.startFigureLine}>
                {backup.value.lastGoodAt
                  ? t('start.admin.lastGood', { at: formatDateTime(backup.value.lastGoodAt) })
                  : t('start.admin.lastGoodNever')}
              </p>
              <p>
                {backup.value.schedule.enabled
                  ? t('start.admin.automaticOn', {
                      hours: backup.value.schedule.intervalHours,
                      next: backup.value.nextRunAt ? formatDateTime(backup.value.nextRunAt) : '–',
                    })
                  : t('start.admin.automaticOff')}
              </p>
              {backup.value.lastAttempt && !backup.value.lastAttempt.ok ? (
                <p className="warning">{t('start.admin.lastFailed', { at: formatDateTime(backup.value.lastAttempt.at) })}</p>
              ) : null}
            </>
          ) : null}
          <p>
            <a href="#/admin/backups">{t('start.admin.openBackups')}</a>
          </p>
        </section>
      </div>
    </>
  );
}

/** The start page shows what each of the person's roles starts the day with. */
export function HomePage({
  user,
  idleLockMinutes,
  logHeadProblem = false,
}: {
  user: SessionUser;
  idleLockMinutes: number | null;
  logHeadProblem?: boolean | undefined;
}) {
  const { t } = useTranslation();
  const { side, siteId } = useDesk();
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="lead">
        {t('home.greeting', { name: user.displayName })} {t('start.today', { date: todayInCentre() })}
      </p>
      {logHeadProblem ? (
        <div className="form-error" role="alert" data-testid="log-head-warning">
          {t('error.logHead.warning')}
        </div>
      ) : null}
      {/* Keyed by side: nothing read for one side is ever shown under the other side's strip. */}
      {user.roles.includes('receptionist') ? <ReceptionStart key={`${side}:${siteId}`} side={side} siteId={siteId} /> : null}
      {user.roles.includes('therapist') ? <TherapistStart key={side} side={side} /> : null}
      {user.roles.includes('admin') ? <AdminStart user={user} /> : null}
      <p className={`${styles.startCardMuted} ${styles.startSecurity}`}>{t('start.security', { minutes: idleLockMinutes ?? 15 })}</p>
    </>
  );
}
