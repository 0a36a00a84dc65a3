import i18next from 'i18next';
import { CHANNEL_NAMES, contract, type AccessLogFilter } from '../../../preload/contract';

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
  'settings.update',
  'audit.head',
];

/** An action in plain words; an action this version does not know (from a newer version) shows as it is stored. */
export function actionLabel(action: string): string {
  const key = `accesslog.actions.${action}`;
  return i18next.exists(key) ? i18next.t(key) : action;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The record as stored ('entry:…', 'journal:emergency'), with long ids shortened for reading; the CSV keeps them whole. */
export function recordLabel(record: string | null): string {
  if (!record) return '–';
  return record.replace(UUID, (id) => `${id.slice(0, 8)}…`);
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
