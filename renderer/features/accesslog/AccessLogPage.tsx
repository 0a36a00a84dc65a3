import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccessLogFilter, type ChannelOutput, type UserSummary } from '../../../preload/contract/index';
import { CheckboxField, FormError, Notice, SelectField } from '../../ui/Field';
import { downloadText } from '../../ui/download';
import { channelKey, useChannelMutation, useChannelQuery } from '../../ui/query';
import { ClientExtract } from './ClientExtract';
import { EMPTY_FILTER, LOGGED_ACTIONS, actionLabel } from './actions';
import { todayInCentre } from '../../ui/format';
import { LogTable } from './LogTable';
import { Retention } from './Retention';
import { DateField } from '../../ui/DateTimeFields';
import styles from './accesslog.module.css';
import doc from '../../ui/document.module.css';

type Page = ChannelOutput<'audit.search'>;
type Verification = ChannelOutput<'audit.verify'>;

interface FilterDraft {
  userId: string;
  from: string;
  to: string;
  action: string;
  emergencyOnly: boolean;
  unreviewedOnly: boolean;
}

const EMPTY_DRAFT: FilterDraft = { userId: '', from: '', to: '', action: '', emergencyOnly: false, unreviewedOnly: false };
const UNREVIEWED: AccessLogFilter = { ...EMPTY_FILTER, emergencyOnly: true, unreviewedOnly: true };
const NO_USERS: UserSummary[] = [];

/** The filter as typed, checked with the contract's schema; errors keyed by field. */
function parseFilter(draft: FilterDraft, clientId: string | null): { filter: AccessLogFilter } | { errors: Record<string, string> } {
  const parsed = AccessLogFilter.safeParse({
    userId: draft.userId || null,
    clientId,
    from: draft.from.trim() || null,
    to: draft.to.trim() || null,
    action: draft.action || null,
    emergencyOnly: draft.emergencyOnly || draft.unreviewedOnly,
    unreviewedOnly: draft.unreviewedOnly,
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { errors };
  }
  if (parsed.data.from && parsed.data.to && parsed.data.from > parsed.data.to) return { errors: { to: 'accesslog.filter.order' } };
  return { filter: parsed.data };
}

/** Where the admin answers "who looked at my journal?": the log filtered, reviewed, exported, verified; and the retention report. */
export function AccessLogPage() {
  const { t } = useTranslation();
  const users = useChannelQuery('users.list', {}).data ?? NO_USERS;
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_DRAFT);
  const [client, setClient] = useState<{ id: string; name: string | null } | null>(null);
  const [filter, setFilter] = useState<AccessLogFilter>(EMPTY_FILTER);
  const [pageNumber, setPageNumber] = useState(0);
  const [reviewSaved, setReviewSaved] = useState(false);
  // After a review empties its row from the list, the keyboard goes to the list's heading once it is read again.
  const focusHeadingAfterLoad = useRef(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [actionError, setError] = useState<string | undefined>();
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exported, setExported] = useState<{ rows: number; file: string } | null>(null);
  const [extract, setExtract] = useState<{ value: ChannelOutput<'audit.clientExtract'>; printedAt: string } | null>(null);

  const queryClient = useQueryClient();
  const pendingQuery = useChannelQuery('audit.search', { filter: UNREVIEWED, page: 0 });
  const pending = pendingQuery.data?.total ?? null;
  const pageQuery = useChannelQuery('audit.search', { filter, page: pageNumber }, { keepPrevious: true });
  const page: Page | null = pageQuery.data ?? null;
  const error = actionError ?? pageQuery.error?.message;
  const verifyCall = useChannelMutation('audit.verify');
  const exportCall = useChannelMutation('audit.exportCsv');
  const extractCall = useChannelMutation('audit.clientExtract');

  // A review is read again (so the list always holds what the filter, and its CSV, holds); the keyboard then goes to the list's heading.
  const reloadPage = async () => {
    await pageQuery.refetch();
    if (focusHeadingAfterLoad.current) {
      focusHeadingAfterLoad.current = false;
      requestAnimationFrame(() => document.getElementById('log-heading')?.focus());
    }
  };

  const apply = (nextDraft: FilterDraft, nextClient: { id: string; name: string | null } | null) => {
    const parsed = parseFilter(nextDraft, nextClient?.id ?? null);
    if ('errors' in parsed) {
      setFieldErrors(parsed.errors);
      const first = Object.keys(parsed.errors)[0];
      if (first) document.getElementById(`log-filter-${first}`)?.focus();
      return;
    }
    setFieldErrors({});
    setExported(null);
    setReviewSaved(false);
    setPageNumber(0);
    setFilter(parsed.filter);
  };

  const showUnreviewed = () => {
    const next = { ...EMPTY_DRAFT, emergencyOnly: true, unreviewedOnly: true };
    setDraft(next);
    setClient(null);
    apply(next, null);
  };

  const verify = async () => {
    setVerifying(true);
    setVerification(null);
    const result = await verifyCall.run({});
    setVerifying(false);
    if (result.ok) setVerification(result.value);
    else setError(result.error.message);
  };

  const exportCsv = async () => {
    const result = await exportCall.run({ filter });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    const file = `atkomstlogg-${todayInCentre()}.csv`;
    downloadText(result.value.csv, file, 'text/csv;charset=utf-8');
    setExported({ rows: result.value.rows, file });
  };

  const openExtract = async (clientId: string) => {
    const result = await extractCall.run({ clientId });
    if (result.ok) setExtract({ value: result.value, printedAt: new Date().toISOString() });
    else setError(result.error.message);
  };

  const set = <K extends keyof FilterDraft>(key: K, value: FilterDraft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const first = page && page.total > 0 ? page.page * page.pageSize + 1 : 0;
  const last = page ? Math.min(page.total, (page.page + 1) * page.pageSize) : 0;

  return (
    <>
      <h1>{t('accesslog.title')}</h1>
      {extract ? (
        <ClientExtract
          extract={extract.value}
          printedAt={extract.printedAt}
          onBack={() => {
            setExtract(null);
            requestAnimationFrame(() => document.getElementById('log-heading')?.focus());
          }}
        />
      ) : null}
      <div className="accesslog-page" hidden={extract !== null}>
        <p className="lead">{t('accesslog.lead')}</p>
        {pending !== null ? (
          <div
            className={pending > 0 ? `${doc.journalBanner} ${doc.journalBannerEmergency}` : `${doc.journalBanner} ${doc.journalBannerCalm}`}
            data-testid="pending-reviews"
          >
            <p>{pending > 0 ? t('accesslog.pending.count', { count: pending }) : t('accesslog.pending.none')}</p>
            {pending > 0 ? (
              <button type="button" className="button button--small" onClick={showUnreviewed}>
                {t('accesslog.pending.show')}
              </button>
            ) : null}
          </div>
        ) : null}

        <section className="panel panel--wide" aria-labelledby="tools-heading">
          <h2 id="tools-heading">{t('accesslog.tools.title')}</h2>
          <div className={`actions ${styles.accesslogTools}`}>
            <button type="button" className="button" onClick={() => void verify()} disabled={verifying}>
              {verifying ? t('accesslog.tools.verifying') : t('accesslog.tools.verify')}
            </button>
            <button type="button" className="button" onClick={() => void exportCsv()} aria-describedby="export-hint">
              {t('accesslog.tools.export')}
            </button>
          </div>
          <p className="field__hint" id="export-hint">
            {t('accesslog.tools.exportHint')}
          </p>
          <div aria-live="polite">
            {verification?.ok ? <Notice>{t('accesslog.tools.ok', { rows: verification.rows })}</Notice> : null}
            {exported ? <Notice>{t('accesslog.tools.exported', { count: exported.rows, file: exported.file })}</Notice> : null}
          </div>
          {verification && !verification.ok ? (
            <div className="form-error" role="alert" data-testid="verify-broken">
              {verification.brokenAt !== null ? t('accesslog.tools.broken', { seq: verification.brokenAt }) : t('accesslog.tools.headProblem')}
            </div>
          ) : null}
        </section>

        <form
          className={`panel panel--wide ${styles.accesslogFilter}`}
          aria-labelledby="filter-heading"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            apply(draft, client);
          }}
        >
          <h2 id="filter-heading">{t('accesslog.filter.title')}</h2>
          <div className={styles.accesslogFilterGrid}>
            <SelectField
              id="log-filter-userId"
              label={t('accesslog.filter.user')}
              value={draft.userId}
              placeholder={t('accesslog.filter.allUsers')}
              options={users.map((user) => ({ value: user.id, label: `${user.displayName} (${user.username})` }))}
              onChange={(event) => set('userId', event.target.value)}
              error={fieldErrors.userId}
            />
            <SelectField
              id="log-filter-action"
              label={t('accesslog.filter.action')}
              value={draft.action}
              placeholder={t('accesslog.filter.allActions')}
              options={LOGGED_ACTIONS.map((action) => ({ value: action, label: actionLabel(action) }))}
              onChange={(event) => set('action', event.target.value)}
              error={fieldErrors.action}
            />
            <DateField label={t('accesslog.filter.from')} value={draft.from} onChange={(value) => set('from', value)} error={fieldErrors.from} />
            <DateField label={t('accesslog.filter.to')} value={draft.to} onChange={(value) => set('to', value)} error={fieldErrors.to} />
          </div>
          <div className="checks">
            <CheckboxField
              label={t('accesslog.filter.emergencyOnly')}
              checked={draft.emergencyOnly || draft.unreviewedOnly}
              disabled={draft.unreviewedOnly}
              onChange={(event) => set('emergencyOnly', event.target.checked)}
            />
            <CheckboxField
              label={t('accesslog.filter.unreviewedOnly')}
              checked={draft.unreviewedOnly}
              onChange={(event) => set('unreviewedOnly', event.target.checked)}
            />
          </div>
          {client ? (
            <p className={styles.accesslogChip} data-testid="client-filter">
              <span>{t('accesslog.filter.client', { name: client.name ?? t('accesslog.filter.clientUnknown') })}</span>
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  setClient(null);
                  apply(draft, null);
                }}
              >
                {t('accesslog.filter.clearClient')}
              </button>
            </p>
          ) : (
            <p className="field__hint">{t('accesslog.filter.clientHint')}</p>
          )}
          <div className="actions">
            <button type="submit" className="button button--primary">
              {t('accesslog.filter.apply')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraft(EMPTY_DRAFT);
                setClient(null);
                apply(EMPTY_DRAFT, null);
              }}
            >
              {t('accesslog.filter.clear')}
            </button>
          </div>
        </form>

        <section aria-labelledby="log-heading" className={styles.accesslogLog}>
          <h2 id="log-heading" tabIndex={-1}>
            {t('accesslog.table.caption')}
          </h2>
          <FormError message={error} />
          {page ? (
            <p className={styles.accesslogSummary} role="status">
              {page.total === 0 ? t('accesslog.table.empty') : t('accesslog.table.summary', { first, last, total: page.total })}
            </p>
          ) : null}
          {reviewSaved ? (
            <p className={styles.accesslogSummary} role="status" data-testid="review-saved">
              {t('accesslog.table.reviewedDone')}
            </p>
          ) : null}
          {page && page.rows.length > 0 ? (
            <LogTable
              rows={page.rows}
              caption={t('accesslog.table.caption')}
              activeClientId={filter.clientId}
              onReviewed={(reviewed) => {
                queryClient.setQueryData<Page>(
                  channelKey('audit.search', { filter, page: pageNumber }),
                  (current) => current && { ...current, rows: current.rows.map((row) => (row.seq === reviewed.seq ? reviewed : row)) },
                );
                // Under "not yet reviewed" the reviewed row leaves the list: read it again, and keep the keyboard on the list's heading.
                setReviewSaved(true);
                if (filter.unreviewedOnly) {
                  focusHeadingAfterLoad.current = true;
                  void reloadPage();
                }
                // When the list is the pending list itself, this joins its read instead of asking (and logging) twice.
                void pendingQuery.refetch({ cancelRefetch: false });
              }}
              onOnlyClient={(clientId, name) => {
                const next = { id: clientId, name };
                setClient(next);
                apply(draft, next);
                requestAnimationFrame(() => document.getElementById('filter-heading')?.scrollIntoView({ block: 'start' }));
              }}
              onExtract={(clientId) => void openExtract(clientId)}
            />
          ) : null}
          {page && pages > 1 ? (
            <nav className={styles.accesslogPager} aria-label={t('accesslog.table.pages')}>
              <button type="button" className="button" disabled={pageNumber === 0} onClick={() => setPageNumber((current) => current - 1)}>
                {t('accesslog.table.prev')}
              </button>
              <span>{t('accesslog.table.page', { page: pageNumber + 1, pages })}</span>
              <button type="button" className="button" disabled={pageNumber + 1 >= pages} onClick={() => setPageNumber((current) => current + 1)}>
                {t('accesslog.table.next')}
              </button>
            </nav>
          ) : null}
        </section>

        <Retention />
      </div>
    </>
  );
}
