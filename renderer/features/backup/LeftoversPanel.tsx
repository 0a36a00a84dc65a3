import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../preload/contract/index';
import { FormError, Notice } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { channelKey, useChannelMutation, useChannelQuery } from '../../ui/query';
import { useFormatSize } from './parts';
import styles from './backup.module.css';

type Leftover = ChannelOutput<'backup.leftovers.list'>['items'][number];

/**
 * What restores and interrupted backups leave behind: journals kept by restores (each a full copy of
 * the journal as it was), restored journals never switched in, unfinished automatic backups. Listed
 * with sizes and times; the admin ticks the ones to remove, confirms, and the removal is logged.
 * The screen sends the ids of the list, never a path.
 */
export function LeftoversPanel() {
  const { t } = useTranslation();
  const formatSize = useFormatSize();
  const queryClient = useQueryClient();
  const list = useChannelQuery('backup.leftovers.list', {});
  const items: Leftover[] | null = list.data?.items ?? null;
  const setItems = (next: ChannelOutput<'backup.leftovers.list'>) => queryClient.setQueryData(channelKey('backup.leftovers.list', {}), next);
  const removeCall = useChannelMutation('backup.leftovers.remove');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [removeError, setError] = useState<string | undefined>();
  const error = removeError ?? list.error?.message;
  const [done, setDone] = useState<{ count: number; bytes: number } | null>(null);

  // Only what is still listed can be chosen: `selected` below keeps the ticks that are in the list.
  const load = async () => {
    await list.refetch();
  };

  const toggle = (id: string) => {
    setDone(null);
    setConfirming(false);
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  const selected = (items ?? []).filter((item) => chosen.has(item.id));
  const selectedBytes = selected.reduce((sum, item) => sum + item.bytes, 0);

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    const answer = await removeCall.run({ ids: selected.map((item) => item.id) });
    setBusy(false);
    setConfirming(false);
    if (!answer.ok) {
      setError(answer.error.message);
      await load();
      return;
    }
    setDone({ count: selected.length, bytes: selectedBytes });
    setChosen(new Set());
    setItems(answer.value);
  };

  return (
    <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-leftovers-heading" aria-busy={busy}>
      <h2 id="backup-leftovers-heading">{t('backup.leftovers.title')}</h2>
      <p>{t('backup.leftovers.intro')}</p>
      {items === null ? null : items.length === 0 ? (
        <p data-testid="leftovers-empty">{t('backup.leftovers.none')}</p>
      ) : (
        <table className={`table ${styles.backupLeftovers}`} data-testid="leftovers">
          <caption className="visually-hidden">{t('backup.leftovers.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('backup.leftovers.choose')}</th>
              <th scope="col">{t('backup.leftovers.kind')}</th>
              <th scope="col">{t('backup.leftovers.name')}</th>
              <th scope="col" className={styles.backupNum}>
                {t('backup.leftovers.size')}
              </th>
              <th scope="col">{t('backup.leftovers.modified')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  <input
                    type="checkbox"
                    id={`leftover-${item.id}`}
                    checked={chosen.has(item.id)}
                    onChange={() => toggle(item.id)}
                    aria-label={t('backup.leftovers.chooseOne', { name: item.name })}
                  />
                </td>
                <td>{t(`backup.leftovers.kinds.${item.kind}`)}</td>
                <td className={styles.backupPath}>{item.name}</td>
                <td className={styles.backupNum}>{formatSize(item.bytes)}</td>
                <td>{formatDateTime(item.modifiedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError message={error} />
      {done ? <Notice>{t('backup.leftovers.removed', { count: done.count, size: formatSize(done.bytes) })}</Notice> : null}
      {items && items.length > 0 ? (
        confirming ? (
          <div className={styles.backupConfirm} role="group" aria-labelledby="backup-leftovers-confirm">
            <p id="backup-leftovers-confirm" className="warning">
              {t('backup.leftovers.confirm', { count: selected.length, size: formatSize(selectedBytes) })}
            </p>
            <div className={styles.backupActions}>
              <button type="button" className="button button--danger" disabled={busy} onClick={() => void remove()}>
                {t('backup.leftovers.confirmRemove', { count: selected.length })}
              </button>
              <button type="button" className="button" disabled={busy} onClick={() => setConfirming(false)}>
                {t('backup.leftovers.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="button" disabled={selected.length === 0} onClick={() => setConfirming(true)}>
            {t('backup.leftovers.remove', { count: selected.length })}
          </button>
        )
      ) : null}
    </section>
  );
}
