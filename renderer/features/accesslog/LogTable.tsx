import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessLogRowView } from '../../../preload/contract/index';
import { Field, FormError } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useChannelMutation } from '../../ui/query';
import { Dialog } from '../../ui/Dialog';
import { Table, type TableColumn } from '../../ui/Table';
import { actionLabel, recordLabel } from './actions';
import styles from './accesslog.module.css';

function ReviewForm({ row, onReviewed, onCancel }: { row: AccessLogRowView; onReviewed: (row: AccessLogRowView) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const markReviewedCall = useChannelMutation('audit.markReviewed');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    const result = await markReviewedCall.run({ seq: row.seq, note });
    setBusy(false);
    if (result.ok) onReviewed(result.value);
    else setError(result.error.fields?.note ?? result.error.message);
  };
  return (
    <form
      className={styles.accesslogReview}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <Field
        id={`review-note-${row.seq}`}
        label={t('accesslog.table.note')}
        hint={t('accesslog.table.noteHint')}
        autoComplete="off"
        maxLength={300}
        autoFocus
        value={note}
        onChange={(event) => setNote(event.target.value)}
      />
      <FormError message={error} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('accesslog.table.saveReview')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('accesslog.table.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The emergency column: flagged with its reason until an admin has reviewed it, then who reviewed it and when. */
function EmergencyCell({ row, reviewing, onReview }: { row: AccessLogRowView; reviewing: boolean; onReview: () => void }) {
  const { t } = useTranslation();
  if (!row.emergency) return <span className={styles.accesslogMuted}>–</span>;
  return (
    <>
      <p className={styles.accesslogStatus} id={`review-${row.seq}`} tabIndex={-1}>
        {row.reviewedAt ? (
          <span className={styles.accesslogReviewed}>
            {t('accesslog.table.reviewed', { at: formatDateTime(row.reviewedAt), name: row.reviewedBy ?? '' })}
          </span>
        ) : (
          <span className={styles.accesslogFlag}>{t('accesslog.table.flagged')}</span>
        )}
      </p>
      {row.reason ? <p className={styles.accesslogReason}>{t('accesslog.table.reason', { reason: row.reason })}</p> : null}
      {!row.reviewedAt && !reviewing ? (
        <button type="button" className="button button--small" onClick={onReview}>
          {t('accesslog.table.markReviewed')}
        </button>
      ) : null}
    </>
  );
}

type LogColumn = 'at' | 'user' | 'client' | 'action' | 'review';

/**
 * The log, newest first; a client's name leads to a filter on that client or to the extract for the client.
 * Not sortable: it is read a page at a time in the log's own order, and a sorted page would pass for the whole log.
 * The review is asked for in a dialog, outside the grid, so its text field keeps the keys the grid would take.
 */
export function LogTable({
  rows,
  caption,
  activeClientId,
  onReviewed,
  onOnlyClient,
  onExtract,
}: {
  rows: AccessLogRowView[];
  caption: string;
  /** The client the log is narrowed to, if any: its rows need no "this client only". */
  activeClientId: string | null;
  onReviewed: (row: AccessLogRowView) => void;
  onOnlyClient: (clientId: string, name: string | null) => void;
  onExtract: (clientId: string) => void;
}) {
  const { t } = useTranslation();
  const [reviewing, setReviewing] = useState<number | null>(null);
  const [focusSeq, setFocusSeq] = useState<number | null>(null);
  const reviewingRow = reviewing === null ? null : (rows.find((row) => row.seq === reviewing) ?? null);

  useEffect(() => {
    if (focusSeq === null) return;
    document.getElementById(`review-${focusSeq}`)?.focus();
    setFocusSeq(null);
  }, [focusSeq]);

  const columns: TableColumn<AccessLogRowView, LogColumn>[] = [
    { id: 'at', label: t('accesslog.table.at'), rowHeader: true, className: styles.accesslogTime, cell: (row) => formatDateTime(row.at) },
    { id: 'user', label: t('accesslog.table.user'), cell: (row) => row.userName ?? t('accesslog.table.system') },
    {
      id: 'client',
      label: t('accesslog.table.client'),
      cell: (row) =>
        row.clientId ? (
          <>
            <span className={styles.accesslogClient}>{row.clientName ?? '–'}</span>
            <span className={styles.accesslogClientActions}>
              {row.clientId !== activeClientId ? (
                <button type="button" className={styles.accesslogLinkbutton} onClick={() => onOnlyClient(row.clientId!, row.clientName)}>
                  {t('accesslog.table.onlyClient')}
                  <span className="visually-hidden"> ({row.clientName})</span>
                </button>
              ) : null}
              <button type="button" className={styles.accesslogLinkbutton} onClick={() => onExtract(row.clientId!)}>
                {t('accesslog.table.extract')}
                <span className="visually-hidden"> ({row.clientName})</span>
              </button>
            </span>
          </>
        ) : (
          <span className={styles.accesslogMuted}>–</span>
        ),
    },
    {
      id: 'action',
      label: t('accesslog.table.action'),
      cell: (row) => (
        <>
          {actionLabel(row.action)}
          <span className={styles.accesslogRecord}>
            <span className="visually-hidden">{t('accesslog.table.record')}: </span>
            {recordLabel(row.record)}
          </span>
        </>
      ),
    },
    {
      id: 'review',
      label: t('accesslog.table.review'),
      cell: (row) => <EmergencyCell row={row} reviewing={reviewing === row.seq} onReview={() => setReviewing(row.seq)} />,
    },
  ];

  return (
    <>
      <Table
        caption={caption}
        hideCaption
        className={styles.accesslogTable}
        rows={rows}
        columns={columns}
        rowKey={(row) => String(row.seq)}
        rowText={(row) => formatDateTime(row.at)}
        rowTestId="log-row"
        rowClassName={(row) => (row.emergency && !row.reviewedAt ? styles.accesslogRowFlagged : undefined)}
        rowData={(row) => ({ flagged: row.emergency && !row.reviewedAt ? 'true' : undefined })}
      />
      {reviewingRow ? (
        <Dialog
          title={t('accesslog.table.reviewTitle', {
            at: formatDateTime(reviewingRow.at),
            name: reviewingRow.userName ?? t('accesslog.table.system'),
          })}
          onClose={() => {
            setReviewing(null);
            setFocusSeq(reviewingRow.seq);
          }}
        >
          <ReviewForm
            row={reviewingRow}
            onCancel={() => {
              setReviewing(null);
              setFocusSeq(reviewingRow.seq);
            }}
            onReviewed={(reviewed) => {
              setReviewing(null);
              onReviewed(reviewed);
              setFocusSeq(reviewed.seq);
            }}
          />
        </Dialog>
      ) : null}
    </>
  );
}
