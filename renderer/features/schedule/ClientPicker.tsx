import { useEffect, useId, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ClientSummary } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { call } from '../../ui/api';
import { ClientName, useDesk, useRevealableRow } from '../../ui/desk';
import { initialsOf } from '../../ui/initials';
import { SearchPicker } from '../../ui/SearchPicker';
import styles from './schedule.module.css';

const SEARCH_DELAY_MS = 250;

function ClientFacts({ client }: { client: ClientSummary }) {
  const { t } = useTranslation();
  const { discreet } = useDesk();
  return (
    <span className={styles.scheduleClientFacts}>
      {client.birthYear ? t('schedule.book.born', { year: client.birthYear }) : null}
      {client.birthYear ? ' · ' : null}
      {t(`tracks.${client.track}`)}
      {/* Discreet mode: never a personnummer on a screen that visitors can see. */}
      {!discreet && client.personalNumber ? ` · ${client.personalNumber}` : null}
    </span>
  );
}

/** An option's text as a screen reader hears it: no more than the option shows (initials in discreet mode). */
function clientText(t: TFunction, client: ClientSummary, discreet: boolean): string {
  const name = client.name ? (discreet ? initialsOf(client.name) : client.name) : '';
  const facts = [client.birthYear ? t('schedule.book.born', { year: client.birthYear }) : null, t(`tracks.${client.track}`)];
  if (!discreet && client.personalNumber) facts.push(client.personalNumber);
  return `${name} ${facts.filter(Boolean).join(' · ')}`.trim();
}

/**
 * Finds the client to book among this side's clients only (the main process answers with nothing
 * else). Type, then arrow down into the matches and press Enter.
 */
export function ClientPicker({
  value,
  onChange,
  error,
  optional,
}: {
  value: ClientSummary | null;
  onChange: (client: ClientSummary | null) => void;
  error?: string | undefined;
  optional: boolean;
}) {
  const { t } = useTranslation();
  const { side, discreet } = useDesk();
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ query: string; clients: ClientSummary[] } | null>(null);
  // After "change client" the search comes back with the focus in it.
  const [refocus, setRefocus] = useState(false);
  const chosen = useRevealableRow();

  const trimmed = query.trim();
  useEffect(() => {
    if (!trimmed) return;
    let current = true;
    const timer = setTimeout(() => {
      void call('clients.search', { side, query: trimmed }).then((result) => {
        if (current) setResults({ query: trimmed, clients: result.ok ? result.value : [] });
      });
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [trimmed, side]);

  const errorId = `${id}-error`;
  const errorText = error ? (
    <p className="field__error" id={errorId}>
      {translateMessage(error)}
    </p>
  ) : null;

  if (value) {
    return (
      <div className={error ? `field field--invalid ${styles.scheduleClient}` : `field ${styles.scheduleClient}`}>
        <p className={styles.scheduleClientLabel} id={`${id}-label`}>
          {t('schedule.book.selected')}
        </p>
        <div
          className={styles.scheduleClientChosen}
          role="group"
          {...chosen.rowProps}
          aria-labelledby={`${id}-label ${id}-chosen`}
          data-testid="chosen-client"
        >
          <span id={`${id}-chosen`}>
            <strong>
              <ClientName name={value.name} revealed={chosen.revealed} />
            </strong>{' '}
            <ClientFacts client={value} />
          </span>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setQuery('');
              setRefocus(true);
              onChange(null);
            }}
          >
            {t('schedule.book.changeClient')}
          </button>
        </div>
        {errorText}
      </div>
    );
  }

  const shown = trimmed && results?.query === trimmed ? results.clients : null;
  return (
    <SearchPicker<ClientSummary>
      className={styles.scheduleClient}
      label={t('schedule.book.clientSearch')}
      hint={`${t('schedule.book.clientSearchHint')}${optional ? ` ${t('schedule.book.consultationHint')}` : ''}`}
      error={error}
      query={query}
      onQueryChange={setQuery}
      results={shown}
      keyOf={(client) => client.id}
      textOf={(client) => clientText(t, client, discreet)}
      renderItem={(client) => (
        <>
          <strong>
            <ClientName name={client.name} />
          </strong>{' '}
          <ClientFacts client={client} />
        </>
      )}
      // Enter in the search picks the only match instead of submitting the booking half-filled.
      onEnter={() => {
        if (shown && shown.length === 1) onChange(shown[0]!);
      }}
      onChoose={onChange}
      listLabel={t('schedule.book.results')}
      status={!trimmed ? undefined : !shown ? t('schedule.book.searching') : shown.length === 0 ? t('schedule.book.noResults') : undefined}
      autoFocus={refocus}
      inputProps={{ 'data-field': 'clientId' }}
    />
  );
}
