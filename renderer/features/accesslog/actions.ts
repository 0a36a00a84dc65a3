import i18next from 'i18next';
import { CHANNEL_NAMES, contract, type AccessLogFilter } from '../../../preload/contract/index';

/** Every channel that reads or writes client data writes a log row under its own name: these are the log's actions. */
export const LOGGED_ACTIONS: string[] = [
  ...CHANNEL_NAMES.filter((name) => contract[name].clientData !== 'none'),
  // Security events: sign-ins and their failures, users, settings, keys (written by the session itself).
  'auth.setup',
  'auth.login',
  'auth.recover',
  'auth.changePassword',
  'auth.security',
  'auth.rekey',
  'users.create',
  'users.resetPassword',
  'users.deactivate',
  'users.setRoles',
  'settings.update',
  'audit.head',
];

/** An action in plain words; an action this version does not know (from a newer version) shows as it is stored. */
export function actionLabel(action: string): string {
  const key = `accesslog.actions.${action}`;
  return i18next.exists(key) ? i18next.t(key) : action;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** i18next reads ':' and '.' in a key as separators: a record's words are looked up with '_' instead. */
const keyOf = (word: string) => word.replace(/[-.]/g, '_');

function wordOf(token: string): string {
  const key = `accesslog.records.words.${keyOf(token)}`;
  return i18next.exists(key) ? i18next.t(key) : token;
}

/** One part of a record after its kind: an id shortened, a count, a period or a side in words. */
function partOf(token: string): string {
  if (UUID.test(token)) return `${token.slice(0, 8)}…`;
  const days = /^(\d{4}-\d\d-\d\d)\+(\d+)$/.exec(token);
  if (days) return i18next.t('accesslog.records.parts.days', { date: days[1], count: Number(days[2]) });
  const quarter = /^(\d{4})-Q([1-4])$/.exec(token);
  if (quarter) return i18next.t('accesslog.records.parts.quarter', { year: quarter[1], quarter: quarter[2] });
  const years = /^(\d+)y$/.exec(token);
  if (years) return i18next.t('accesslog.records.parts.years', { count: Number(years[1]) });
  // "name=value", several joined by commas ("removed=1,without=2").
  if (/^[a-z]+=/.test(token)) {
    return token
      .split(',')
      .map((pair) => {
        const [name = '', value = ''] = pair.split('=');
        const key = `accesslog.records.parts.${name}`;
        const shown = UUID.test(value)
          ? `${value.slice(0, 8)}…`
          : name === 'roles'
            ? value
                .split('+')
                .map((role) => (i18next.exists(`roles.${role}`) ? i18next.t(`roles.${role}`) : role))
                .join(', ')
            : value;
        if (name === 'results' || name === 'rows') return i18next.t(key, { count: Number(value) });
        return i18next.exists(key) ? i18next.t(key, { value: shown }) : pair;
      })
      .join(', ');
  }
  return wordOf(token);
}

/**
 * The record in words: its kind ('schedule', 'backup', 'entry' …) and then each of its parts, so
 * "schedule:victims:2026-12-03+7" reads "Schemat · utsattsidan · 2026-12-03, 7 dagar". Long ids are
 * shortened for reading (the CSV keeps them whole); a record of a kind this version does not know
 * (written by a newer one) shows as it is stored.
 */
export function recordLabel(record: string | null): string {
  if (!record) return '–';
  const [kind = '', ...parts] = record.split(':');
  const kindKey = `accesslog.records.kinds.${keyOf(kind)}`;
  if (!i18next.exists(kindKey)) return record;
  return [i18next.t(kindKey), ...parts.map(partOf)].join(' · ');
}

export const EMPTY_FILTER: AccessLogFilter = {
  userId: null,
  clientId: null,
  from: null,
  to: null,
  action: null,
  emergencyOnly: false,
  unreviewedOnly: false,
};
