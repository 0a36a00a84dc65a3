import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientSummary } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { call } from '../../ui/api';
import { ClientName, useDesk, useRevealableRow } from '../../ui/desk';

const SEARCH_DELAY_MS = 250;

function moveFocus(event: KeyboardEvent<HTMLElement>, list: HTMLElement | null, input: HTMLInputElement | null) {
  const buttons = [...(list?.querySelectorAll<HTMLButtonElement>('button[data-client-option]') ?? [])];
  const index = buttons.indexOf(event.currentTarget as HTMLButtonElement);
  if (event.key === 'ArrowDown') {
    event.preventDefault();
    buttons[Math.min(index + 1, buttons.length - 1)]?.focus();
  } else if (event.key === 'ArrowUp') {
    event.preventDefault();
    if (index <= 0) input?.focus();
    else buttons[index - 1]?.focus();
  } else if (event.key === 'Escape') {
    event.preventDefault();
    input?.focus();
  }
}

function ClientFacts({ client }: { client: ClientSummary }) {
  const { t } = useTranslation();
  const { discreet } = useDesk();
  return (
    <span className="schedule-client__facts">
      {client.birthYear ? t('schedule.book.born', { year: client.birthYear }) : null}
      {client.birthYear ? ' · ' : null}
      {t(`tracks.${client.track}`)}
      {/* Discreet mode: never a personnummer on a screen that visitors can see. */}
      {!discreet && client.personalNumber ? ` · ${client.personalNumber}` : null}
    </span>
  );
}

function ClientOption({
  client,
  onPick,
  onKeys,
}: {
  client: ClientSummary;
  onPick: (client: ClientSummary) => void;
  onKeys: (event: KeyboardEvent<HTMLButtonElement>) => void;
}) {
  const { revealed, rowProps } = useRevealableRow();
  return (
    <li>
      <button
        type="button"
        className="schedule-client__option"
        data-client-option=""
        onClick={() => onPick(client)}
        onBlur={rowProps.onBlur}
        onKeyDown={(event) => {
          rowProps.onKeyDown(event);
          onKeys(event);
        }}
      >
        <strong>
          <ClientName name={client.name} revealed={revealed} />
        </strong>{' '}
        <ClientFacts client={client} />
      </button>
    </li>
  );
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
  const { side } = useDesk();
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ query: string; clients: ClientSummary[] } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
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
  const hintId = `${id}-hint`;
  const errorText = error ? (
    <p className="field__error" id={errorId}>
      {translateMessage(error)}
    </p>
  ) : null;

  if (value) {
    return (
      <div className={error ? 'field field--invalid schedule-client' : 'field schedule-client'}>
        <p className="schedule-client__label" id={`${id}-label`}>
          {t('schedule.book.selected')}
        </p>
        <div
          className="schedule-client__chosen"
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
              onChange(null);
              setTimeout(() => input.current?.focus(), 0);
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
    <div className={error ? 'field field--invalid schedule-client' : 'field schedule-client'}>
      <label htmlFor={id}>{t('schedule.book.clientSearch')}</label>
      <input
        id={id}
        ref={input}
        type="search"
        autoComplete="off"
        value={query}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(' ')}
        aria-controls={`${id}-results`}
        data-field="clientId"
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            list.current?.querySelector<HTMLButtonElement>('button[data-client-option]')?.focus();
          } else if (event.key === 'Enter') {
            // Enter in the search picks the only match instead of submitting the booking half-filled.
            event.preventDefault();
            if (shown && shown.length === 1) onChange(shown[0]!);
            else list.current?.querySelector<HTMLButtonElement>('button[data-client-option]')?.focus();
          }
        }}
      />
      <p className="field__hint" id={hintId}>
        {t('schedule.book.clientSearchHint')}
        {optional ? ` ${t('schedule.book.consultationHint')}` : null}
      </p>
      {errorText}
      <div id={`${id}-results`} aria-live="polite">
        {trimmed && !shown ? <p className="schedule-muted">{t('schedule.book.searching')}</p> : null}
        {shown && shown.length === 0 ? <p className="schedule-muted">{t('schedule.book.noResults')}</p> : null}
        {shown && shown.length > 0 ? (
          <ul className="schedule-client__results" ref={list} aria-label={t('schedule.book.results')}>
            {shown.map((client) => (
              <ClientOption key={client.id} client={client} onPick={onChange} onKeys={(event) => moveFocus(event, list.current, input.current)} />
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
