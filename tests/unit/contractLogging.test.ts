import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract } from '../../preload/contract/index.js';

/**
 * Channels that touch no client data, and so write no access-log row. Every other channel is a
 * client-data channel: the router runs it in one transaction with its log rows and refuses it if it
 * logs nothing. A new channel must either be declared as client data or be added here on review.
 */
const WITHOUT_CLIENT_DATA = [
  'app.status',
  'workstation.get',
  'workstation.update',
  // First run: the server's address (checked with GET /v1/health) and nothing of any client.
  'workstation.connectServer',
  'auth.setup',
  'auth.login',
  'auth.recover',
  'auth.lock',
  'auth.logout',
  'auth.changePassword',
  'session.activity',
  'settings.get',
  'settings.update',
  'users.list',
  'users.create',
  'users.resetPassword',
  'users.deactivate',
  'users.setRoles',
  'auth.rekey',
  'org.get',
  'org.saveWaitingRoom',
  'org.saveRoom',
  'org.saveEntrance',
  'org.setTrackRoute',
  'org.setMunicipality',
  'org.saveTherapist',
  // The contact-person network: professionals in the collaborating agencies, never clients. An intake
  // points at its referrer; no answer here says which clients anyone referred.
  'contacts.list',
  'contacts.save',
  'contacts.delete',
  'contacts.mailingListCsv',
  'contacts.referrers',
  'networkDays.list',
  'networkDays.save',
  'networkDays.setAttendance',
  'audit.verify',
  // Reviewed: the schedule and the outcome of past runs (times, a file name, a message key); the passphrase never leaves main.
  'backup.status',
  'backup.schedule.update',
  // Reviewed: the running operation's kind, phase, row counts and start time; no path, name or row of the journal.
  'backup.progress',
  // Reviewed: only a path the admin chose in the system's own dialog.
  'backup.chooseFile',
  // Reviewed: names, sizes and times of kept journal copies and unfinished backups; removing them is logged (write).
  'backup.leftovers.list',
];

describe('the contract declares which channels touch client data', () => {
  it('every channel outside the reviewed list is a client-data channel', () => {
    for (const name of CHANNEL_NAMES) {
      const declared = contract[name].clientData;
      if (WITHOUT_CLIENT_DATA.includes(name)) expect(declared, name).toBe('none');
      else expect(['read', 'write'], `${name} must log its access`).toContain(declared);
    }
  });

  it('no channel whose answer names a client is declared free of client data', () => {
    for (const name of CHANNEL_NAMES.filter((channel) => contract[channel].clientData === 'none')) {
      const output = JSON.stringify(contract[name].output.toJSONSchema({ unrepresentable: 'any' }));
      expect(output, name).not.toMatch(/"clientId"|"clientName"|"personalNumber"|"body"/);
    }
  });
});
