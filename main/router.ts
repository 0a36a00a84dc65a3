import type { z } from 'zod';
import {
  contract,
  type AccessLogFilter as AccessLogFilterInput,
  type AppError,
  type ChannelName,
  type ChannelOutput,
  type Contract,
  type FileChoice,
  type Result,
  type SessionUser,
} from '../preload/contract/index.js';
import { appendAccessLog, type AccessLogFilter } from '../db/accessLog.js';
import { addLocalDays, localToUtc } from './services/time.js';
import {
  accessLogCsv,
  accessLogPage,
  amendEntry,
  assignCare,
  clientAccessExtract,
  endCare,
  findForJournal,
  grantEmergencyAccess,
  journalAccess,
  journalExport,
  journalView,
  myClients,
  myDrafts,
  removeDraft,
  retentionReport,
  reviewEmergencyAccess,
  saveDraft,
  signDraft,
  verifyAccessLog,
} from './services/journal.js';
import { findEntry } from '../db/journalEntries.js';
import { linksOf } from '../db/clients.js';
import { clientDetail, clientOfSide, findForLink, linkClients, searchClientsOfSide, updateClientContact } from './services/clients.js';
import { addMember, createGroup, listGroups, removeMember } from './services/groups.js';
import { registerIntake, waitingList } from './services/intake.js';
import {
  contactList,
  deleteContact,
  mailingListCsv,
  networkDays,
  referrers,
  saveContact,
  saveNetworkDay,
  setAttendance,
} from './services/contacts.js';
import { statisticsCsv, statisticsReport } from './services/statistics.js';
import { orgView, routeTrack, saveEntrance, saveMunicipality, saveRoom, saveTherapist, saveWaitingRoom } from './services/org.js';
import {
  appointmentOfSide,
  bookAppointment,
  cancelAppointment,
  findSlots,
  moveAppointment,
  scheduleRange,
  setAppointmentStatus,
  todayBoard,
} from './services/scheduling.js';
import { exportBackup, refusalName, totalRows, verifyBackup } from './services/backup.js';
import { listLeftovers, removeLeftovers } from './services/backupLeftovers.js';
import { DialogChoices } from './services/backupPaths.js';
import { DomainError, storageError } from './services/errors.js';
import { readSettings, updateSettings } from './services/settings.js';
import { assertStrongPassword } from './services/passwordStrength.js';
import { readWorkstationPreferences, updateWorkstationPreferences } from './services/workstation.js';
import type { JournalApp } from './services/session.js';

export interface AuditNote {
  clientId: string | null;
  /** Which record was read or written ('appointment:…', 'search:results=3'); never names or free text. */
  record: string | null;
  /** An emergency access, with the therapist's written reason (flagged for admin review). */
  emergency?: { reason: string };
}

export interface CallContext {
  app: JournalApp;
  /** The signed-in user; null only on public channels. */
  user: SessionUser | null;
  /** Writes an access-log row in the same transaction as the read or write it records; returns its sequence number. */
  audit(note: AuditNote): number;
  /** Runs database work in one transaction with its access-log rows (for handlers that must await first, e.g. a password check). */
  transact<T>(work: () => T): T;
}

type Handler<C extends ChannelName> = (input: z.output<Contract[C]['input']>, ctx: CallContext) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };

function entryClient(ctx: CallContext, entryId: string): string {
  return findEntry(ctx.app.db, entryId)!.clientId;
}

/** The access-log filter from the screen's local dates to UTC instants (whole Swedish days). */
function toLogFilter(filter: AccessLogFilterInput): AccessLogFilter {
  return {
    ...filter,
    from: filter.from ? localToUtc(filter.from, '00:00', 'from') : null,
    to: filter.to ? localToUtc(addLocalDays(filter.to, 1), '00:00', 'to') : null,
  };
}

/**
 * A list read leaves one row per client shown, so that each client's own extract shows every time
 * their data was on a screen; an empty list leaves one row without a client.
 */
function auditShown(ctx: CallContext, clientIds: Iterable<string | null>, record: string): void {
  const shown = new Set([...clientIds].filter((id): id is string => id !== null));
  for (const clientId of shown) ctx.audit({ clientId, record });
  if (shown.size === 0) ctx.audit({ clientId: null, record: `${record}:results=0` });
}

/** A client's record shows their links (across sides only that one exists): each linked person shaped it. */
function auditLinksShown(ctx: CallContext, clientId: string): void {
  for (const link of linksOf(ctx.app.db, clientId)) ctx.audit({ clientId: link.otherClientId, record: `client-link:${clientId}` });
}

function signedIn(ctx: CallContext): SessionUser {
  if (!ctx.user) throw new DomainError('NOT_SIGNED_IN', 'Sign in first');
  return ctx.user;
}

/** What only the desktop shell can offer the handlers; the browser harness and the CLI offer none of it. */
export interface ShellServices {
  /** Opens the operating system's file dialog; resolves to the chosen path, or null when cancelled. */
  chooseFile?: (purpose: Exclude<FileChoice, 'probe'>) => Promise<string | null>;
}

/** One handler per channel; TypeScript insists that every channel in the contract has one. */
export function createHandlers(shell: ShellServices = {}): Handlers {
  // With a file dialog (the desktop app), backup paths come only from it: see DialogChoices.
  const dialogChoices = shell.chooseFile ? new DialogChoices() : null;
  const backupPath = (value: string, kind: 'file' | 'folder', field: string) => (dialogChoices ? dialogChoices.resolve(value, kind, field) : value);
  return {
    'app.status': (_input, { app }) => app.status(),
    'workstation.get': (_input, { app }) => readWorkstationPreferences(app.dataDir),
    'workstation.update': (input, { app }) => updateWorkstationPreferences(app.dataDir, input),
    'auth.setup': (input, { app }) => app.setup(input),
    'auth.login': (input, { app }) => app.login(input),
    'auth.recover': (input, { app }) => app.recover(input),
    'users.resetPassword': (input, { app }) => app.resetPassword(input.userId),
    'users.deactivate': (input, { app }) => app.deactivateUser(input.userId),
    'auth.lock': (_input, { app }) => {
      app.lock('user');
      return { locked: true as const };
    },
    'auth.logout': (_input, { app }) => {
      app.lock('logout');
      return { locked: true as const };
    },
    'auth.changePassword': (input, { app }) => app.changePassword(input),
    'session.activity': (_input, { app }) => ({ idleLockMinutes: readSettings(app.db).idleLockMinutes }),
    'settings.get': (_input, { app }) => readSettings(app.db),
    'settings.update': (input, ctx) => {
      const settings = updateSettings(ctx.app.db, input, signedIn(ctx).id, ctx.app.now());
      ctx.app.idle.setTimeoutMinutes(settings.idleLockMinutes);
      return settings;
    },
    'users.list': (_input, { app }) => app.listUsers(),
    'users.create': async (input, { app }) => app.createUser(input),
    'auth.rekey': async (input, { app }) => app.rekey(input),

    'org.get': (_input, { app }) => orgView(app.db),
    'org.saveWaitingRoom': (input, { app }) => saveWaitingRoom(app.db, input),
    'org.saveRoom': (input, { app }) => saveRoom(app.db, input),
    'org.saveEntrance': (input, { app }) => saveEntrance(app.db, input),
    'org.setTrackRoute': (input, { app }) => routeTrack(app.db, input),
    'org.setMunicipality': (input, { app }) => saveMunicipality(app.db, input),
    'org.saveTherapist': (input, { app }) => saveTherapist(app.db, input),

    // The contact-person network: professionals only, no client data, so nothing here writes the access log.
    'contacts.list': (input, { app }) => contactList(app.db, input.filter, app.now()),
    'contacts.save': (input, ctx) => saveContact(ctx.app.db, input, signedIn(ctx).id, ctx.app.now()),
    'contacts.delete': (input, { app }) => {
      deleteContact(app.db, input.id);
      return { deleted: true as const };
    },
    'contacts.mailingListCsv': (input, { app }) => mailingListCsv(app.db, input.filter, input.labels, app.now()),
    'contacts.referrers': (_input, { app }) => referrers(app.db, app.now()),
    'networkDays.list': (_input, { app }) => networkDays(app.db),
    'networkDays.save': (input, ctx) => saveNetworkDay(ctx.app.db, input, signedIn(ctx).id, ctx.app.now()),
    'networkDays.setAttendance': (input, ctx) => setAttendance(ctx.app.db, input, signedIn(ctx).id, ctx.app.now()),

    'intake.register': (input, ctx) => {
      const result = registerIntake(ctx.app.db, input, signedIn(ctx).id, ctx.app.now());
      ctx.audit({ clientId: result.clientId, record: `intake:${result.intakeId}` });
      for (const linked of result.linkedClientIds) ctx.audit({ clientId: linked, record: `link:${result.clientId}` });
      // The other side's record with the same identity number gets its trace; the answer says nothing of it.
      for (const same of result.sameNumberClientIds) ctx.audit({ clientId: same, record: `same-identity-number:${result.clientId}` });
      const { linkedClientIds: _linked, sameNumberClientIds: _same, ...answer } = result;
      return answer;
    },
    'clients.search': (input, ctx) => {
      const found = searchClientsOfSide(ctx.app.db, input.side, input.query, signedIn(ctx), ctx.app.now());
      // The query itself may be a name or a number: never logged, only who was shown.
      auditShown(
        ctx,
        found.map((client) => client.id),
        `search:${input.side}`,
      );
      return found;
    },
    'clients.get': (input, ctx) => {
      const detail = clientDetail(ctx.app.db, input.side, input.clientId, signedIn(ctx), ctx.app.now());
      ctx.audit({ clientId: detail.id, record: 'client' });
      auditLinksShown(ctx, detail.id);
      return detail;
    },
    'clients.updateContact': (input, ctx) => {
      const detail = updateClientContact(ctx.app.db, input.side, input.clientId, input, signedIn(ctx));
      ctx.audit({ clientId: detail.id, record: 'client:contact' });
      auditLinksShown(ctx, detail.id);
      return detail;
    },
    'clients.findForLink': (input, ctx) => {
      const found = findForLink(ctx.app.db, input.side, input.query, ctx.app.now());
      // Every person found is named in the log, those of the other side too (they are shown only as a handle).
      auditShown(
        ctx,
        found.map((candidate) => candidate.clientId),
        `link-lookup:${input.side}`,
      );
      return found.map(({ clientId: _clientId, ...candidate }) => candidate);
    },
    'clients.link': (input, ctx) => {
      const { otherClientId, clashes, ...result } = linkClients(ctx.app.db, input, signedIn(ctx).id, ctx.app.now());
      // Both people's appointments shaped the answer: the row (for admins) says how many appointment pairs clash.
      const record = `link:${result.linkId}:${input.side}:clashes=${clashes}`;
      ctx.audit({ clientId: input.clientId, record });
      ctx.audit({ clientId: otherClientId, record });
      return result;
    },
    'schedule.range': (input, ctx) => {
      // A therapist sees their own schedule; the reception desk sees everyone's.
      const user = signedIn(ctx);
      const therapistId = user.roles.includes('receptionist') ? input.therapistId : user.id;
      const appointments = scheduleRange(ctx.app.db, { ...input, therapistId });
      auditShown(
        ctx,
        appointments.map((appointment) => appointment.clientId),
        `schedule:${input.side}:${input.from}+${input.days}`,
      );
      return appointments;
    },
    'schedule.today': (input, ctx) => {
      const board = todayBoard(ctx.app.db, input.side, input.siteId, input.date);
      auditShown(
        ctx,
        board.flatMap((room) => room.appointments.map((appointment) => appointment.clientId)),
        `today:${input.side}:${input.date}`,
      );
      return board;
    },
    'appointments.book': (input, ctx) => {
      const result = bookAppointment(ctx.app.db, input, signedIn(ctx).id, ctx.app.now());
      ctx.audit({ clientId: result.appointment.clientId, record: `appointment:${result.appointment.id}` });
      return result;
    },
    'appointments.move': (input, ctx) => {
      const result = moveAppointment(ctx.app.db, input, ctx.app.now());
      ctx.audit({ clientId: result.appointment.clientId, record: `appointment:${result.appointment.id}` });
      return result;
    },
    'appointments.cancel': (input, ctx) => {
      const appointment = cancelAppointment(ctx.app.db, input.side, input.appointmentId, input.reason, ctx.app.now());
      ctx.audit({ clientId: appointment.clientId, record: `appointment:${appointment.id}` });
      return appointment;
    },
    'appointments.setStatus': (input, ctx) => {
      const user = signedIn(ctx);
      if (!user.roles.includes('receptionist') && appointmentOfSide(ctx.app.db, input.side, input.appointmentId).therapistId !== user.id) {
        throw new DomainError('NOT_FOUND', 'error.appointment.notFound');
      }
      const appointment = setAppointmentStatus(ctx.app.db, input.side, input.appointmentId, input.status, ctx.app.now());
      ctx.audit({ clientId: appointment.clientId, record: `appointment:${appointment.id}` });
      return appointment;
    },
    'slots.find': (input, ctx) => {
      const linkedShaping = new Set<string>();
      const slots = findSlots(ctx.app.db, input, ctx.app.now(), linkedShaping);
      ctx.audit({ clientId: input.clientId, record: 'slots' });
      // Linked people whose appointments kept times out of the answer: their data shaped it.
      for (const clientId of linkedShaping) ctx.audit({ clientId, record: 'slots:linked' });
      return slots;
    },
    'waitingList.list': (input, ctx) => {
      const entries = waitingList(ctx.app.db, input.side, ctx.app.now());
      auditShown(
        ctx,
        entries.map((entry) => entry.clientId),
        `waiting-list:${input.side}`,
      );
      return entries;
    },
    'groups.list': (input, ctx) => {
      const user = signedIn(ctx);
      const groups = listGroups(ctx.app.db, input.side, input.siteId, ctx.app.now()).filter(
        (group) => user.roles.includes('receptionist') || group.therapistId === user.id,
      );
      auditShown(
        ctx,
        groups.flatMap((group) => [...group.members.map((member) => member.clientId), ...group.upcomingSessions.map((session) => session.clientId)]),
        `groups:${input.side}`,
      );
      return groups;
    },
    'groups.create': (input, ctx) => {
      const group = createGroup(ctx.app.db, input, signedIn(ctx).id, ctx.app.now());
      ctx.audit({ clientId: null, record: `group:${group.id}` });
      return group;
    },
    'groups.addMember': (input, ctx) => {
      const group = addMember(ctx.app.db, input.side, input.groupId, input.clientId, ctx.app.now());
      ctx.audit({ clientId: input.clientId, record: `group:${group.id}` });
      return group;
    },
    'groups.removeMember': (input, ctx) => {
      const group = removeMember(ctx.app.db, input.side, input.groupId, input.clientId, ctx.app.now());
      ctx.audit({ clientId: input.clientId, record: `group:${group.id}` });
      return group;
    },
    'journal.myClients': (_input, ctx) => {
      const clients = myClients(ctx.app.db, signedIn(ctx));
      auditShown(
        ctx,
        clients.map((client) => client.clientId),
        'my-clients',
      );
      return clients;
    },
    'journal.myDrafts': (input, ctx) => {
      const drafts = myDrafts(ctx.app.db, input.side, signedIn(ctx), ctx.app.now());
      // A list of names: one row per client shown, in each client's own extract; an empty list is logged once.
      for (const clientId of new Set(drafts.map((draft) => draft.clientId))) ctx.audit({ clientId, record: 'my-drafts' });
      if (drafts.length === 0) ctx.audit({ clientId: null, record: `my-drafts:${input.side}:results=0` });
      return drafts;
    },
    'journal.open': (input, ctx) => {
      const user = signedIn(ctx);
      const access = journalAccess(ctx.app.db, input.clientId, user, ctx.app.now());
      ctx.audit({ clientId: input.clientId, record: `journal:${access}` });
      return journalView(ctx.app.db, input.clientId, access, user);
    },
    'journal.emergencyOpen': (input, ctx) => {
      const user = signedIn(ctx);
      // The reason goes to the access log, where admins review every emergency access.
      const seq = ctx.audit({ clientId: input.clientId, record: 'journal:emergency', emergency: { reason: input.reason } });
      grantEmergencyAccess(ctx.app.db, input.clientId, user, input.reason, seq, ctx.app.now());
      return journalView(ctx.app.db, input.clientId, 'emergency', user);
    },
    'journal.findClient': (input, ctx) => {
      const user = signedIn(ctx);
      const found = findForJournal(ctx.app.db, input.query, user, ctx.app.now());
      // Each client shown leaves a trace in their own extract; an empty lookup is logged once.
      for (const client of found) ctx.audit({ clientId: client.id, record: 'journal-lookup' });
      if (found.length === 0) ctx.audit({ clientId: null, record: 'journal-lookup:results=0' });
      return found;
    },
    'journal.saveDraft': (input, ctx) => {
      const entry = saveDraft(ctx.app.db, input, signedIn(ctx), ctx.app.now());
      ctx.audit({ clientId: input.clientId, record: `entry:${entry.id}` });
      return entry;
    },
    'journal.deleteDraft': (input, ctx) => {
      const { clientId } = removeDraft(ctx.app.db, input.entryId, signedIn(ctx), ctx.app.now());
      ctx.audit({ clientId, record: `entry:${input.entryId}` });
      return { deleted: true as const };
    },
    'journal.sign': async (input, ctx) => {
      // Signing asks for the password again: the signature is the person, not whoever stands at the screen.
      if (!(await ctx.app.verifyPassword(input.password)))
        throw new DomainError('WRONG_CREDENTIALS', 'error.password.currentWrong', { password: 'error.password.currentWrong' });
      return ctx.transact(() => {
        const entry = signDraft(ctx.app.db, input.entryId, signedIn(ctx), ctx.app.now());
        ctx.audit({ clientId: entryClient(ctx, entry.id), record: `entry:${entry.id}` });
        return entry;
      });
    },
    'journal.amend': async (input, ctx) => {
      if (!(await ctx.app.verifyPassword(input.password)))
        throw new DomainError('WRONG_CREDENTIALS', 'error.password.currentWrong', { password: 'error.password.currentWrong' });
      return ctx.transact(() => {
        const entry = amendEntry(ctx.app.db, input, signedIn(ctx), ctx.app.now());
        ctx.audit({ clientId: entryClient(ctx, entry.id), record: `entry:${entry.id}` });
        return entry;
      });
    },
    'journal.export': (input, ctx) => {
      const user = signedIn(ctx);
      journalAccess(ctx.app.db, input.clientId, user, ctx.app.now());
      ctx.audit({ clientId: input.clientId, record: 'journal:export' });
      return journalExport(ctx.app.db, input.clientId, user, ctx.app.now());
    },
    'care.assign': (input, ctx) => {
      clientOfSide(ctx.app.db, input.side, input.clientId);
      const team = assignCare(ctx.app.db, input.clientId, input.therapistId, signedIn(ctx).id, ctx.app.now());
      ctx.audit({ clientId: input.clientId, record: `care:${input.therapistId}` });
      return team;
    },
    'care.end': (input, ctx) => {
      clientOfSide(ctx.app.db, input.side, input.clientId);
      const team = endCare(ctx.app.db, input.clientId, input.therapistId, ctx.app.now());
      ctx.audit({ clientId: input.clientId, record: `care:${input.therapistId}` });
      return team;
    },
    'audit.search': (input, ctx) => {
      const page = accessLogPage(ctx.app.db, toLogFilter(input.filter), input.page);
      ctx.audit({ clientId: input.filter.clientId, record: `audit-search:results=${page.total}` });
      return page;
    },
    'audit.markReviewed': (input, ctx) => {
      const row = reviewEmergencyAccess(ctx.app.db, input.seq, signedIn(ctx).id, input.note || null, ctx.app.now());
      ctx.audit({ clientId: row.clientId, record: `review:${input.seq}` });
      return row;
    },
    'audit.exportCsv': (input, ctx) => {
      const exported = accessLogCsv(ctx.app.db, toLogFilter(input.filter));
      ctx.audit({ clientId: input.filter.clientId, record: `audit-export:rows=${exported.rows}` });
      return exported;
    },
    'audit.clientExtract': (input, ctx) => {
      const extract = clientAccessExtract(ctx.app.db, input.clientId);
      ctx.audit({ clientId: input.clientId, record: 'audit-extract' });
      return extract;
    },
    // The chain in the journal, and its newest row against the head kept in the keyring (rows cut off its end, an older copy put back).
    'audit.verify': (_input, { app }) => {
      const chain = verifyAccessLog(app.db);
      const head = app.logHeadState();
      return { ...chain, ok: chain.ok && head.problem === null, headProblem: head.problem };
    },
    'stats.report': (input, ctx) => {
      const report = statisticsReport(ctx.app.db, input, ctx.app.now());
      // Aggregates name no client; the row records that statistics were read, and for which quarter.
      ctx.audit({ clientId: null, record: `stats:${input.year}-Q${input.quarter}` });
      return report;
    },
    'stats.exportCsv': (input, ctx) => {
      const csv = statisticsCsv(statisticsReport(ctx.app.db, input, ctx.app.now()));
      ctx.audit({ clientId: null, record: `stats-export:${input.year}-Q${input.quarter}` });
      return { csv };
    },
    'retention.report': (input, ctx) => {
      const report = retentionReport(ctx.app.db, input.years, ctx.app.now());
      auditShown(
        ctx,
        report.map((row) => row.clientId),
        `retention:${input.years}y`,
      );
      return report;
    },
    // Backups: async handlers, since ATTACH and the switch of journals cannot run inside the router's transaction.
    // The log records what happened and how many rows, never the path or the passphrase.
    'backup.export': async (input, ctx) => {
      assertStrongPassword(input.passphrase, 'passphrase', [], 'passphrase');
      const now = ctx.app.now();
      const file = backupPath(input.path, 'file', 'path');
      let copied = false;
      // Derived from the journal key: wiped once the export is over, like the key itself at lock.
      const sealKey = ctx.app.backupSealKey();
      try {
        const exported = await exportBackup(
          ctx.app.db,
          { file, passphrase: input.passphrase, dataDir: ctx.app.dataDir, now, sealKey },
          {
            transact: ctx.transact,
            onCopied: ({ rows }) => {
              copied = true;
              ctx.audit({ clientId: null, record: `backup:export:rows=${rows}` });
            },
          },
        );
        ctx.app.backups.recordManualExport(now);
        return exported;
      } catch (error) {
        // An export refused or failed after its copy was logged says so too; one refused before the copy still leaves its row.
        try {
          ctx.transact(() => ctx.audit({ clientId: null, record: `backup:export:${copied ? 'failed' : 'refused'}:${refusalName(error)}` }));
        } catch {
          // Locked meanwhile: there is no journal to log into.
        }
        throw error;
      } finally {
        sealKey.fill(0);
      }
    },
    'backup.verify': async (input, ctx) => {
      let file: string;
      try {
        file = backupPath(input.path, 'file', 'path');
      } catch (error) {
        ctx.transact(() => ctx.audit({ clientId: null, record: `backup:verify:refused:${refusalName(error)}` }));
        throw error;
      }
      const sealKey = ctx.app.backupSealKey();
      const verified = await verifyBackup(file, input.passphrase, { sealKey, current: ctx.app.db }).finally(() => sealKey.fill(0));
      ctx.transact(() =>
        ctx.audit({
          clientId: null,
          record: verified.ok
            ? `backup:verify:rows=${totalRows(verified.counts)}:${verified.origin === 'thisInstallation' ? 'sealed-here' : 'made-elsewhere'}`
            : `backup:verify:refused:${refusalName(verified.error)}`,
        }),
      );
      if (!verified.ok) throw verified.error;
      return verified;
    },
    'backup.restore': async (input, ctx) => {
      let switching = false;
      try {
        const file = backupPath(input.path, 'file', 'path');
        return await ctx.app.restoreBackup(
          { file, passphrase: input.passphrase, confirmedChecksum: input.confirmedChecksum },
          {
            beforeSwitch: ({ rows }) => {
              switching = true;
              ctx.transact(() => ctx.audit({ clientId: null, record: `backup:restore:rows=${rows}` }));
            },
          },
        );
      } catch (error) {
        // A refused restore is logged in the journal that stays active (which is still open before the switch).
        if (!switching && error instanceof DomainError) {
          try {
            ctx.transact(() => ctx.audit({ clientId: null, record: `backup:restore:refused:${refusalName(error)}` }));
          } catch {
            // The journal was locked (and closed) while the backup was being checked: there is nothing to log into.
          }
        }
        throw error;
      }
    },
    'backup.leftovers.list': (_input, { app }) => ({ items: listLeftovers(app.dataDir, app.backups.folder()) }),
    'backup.leftovers.remove': (input, ctx) => {
      const done = removeLeftovers(ctx.app.dataDir, ctx.app.backups.folder(), input.ids, ctx.app.backups.running);
      const kinds = Object.entries(done.kinds)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, count]) => `${kind}=${count}`)
        .join(',');
      ctx.audit({ clientId: null, record: `backup:cleanup:removed=${done.removed}:${kinds}:bytes=${done.bytes}` });
      return { items: listLeftovers(ctx.app.dataDir, ctx.app.backups.folder()) };
    },
    // The schedule's passphrase goes in and never comes out: the status says only whether one is stored.
    'backup.status': (_input, { app }) => app.backups.status(),
    'backup.schedule.update': (input, ctx) => {
      if (input.passphrase !== '') assertStrongPassword(input.passphrase, 'passphrase', [], 'passphrase');
      // A folder already stored came from a dialog (or was typed where typing is the way); a new one must come from the dialog.
      const stored = ctx.app.backups.folder() ?? '';
      const folder = input.folder === '' || input.folder === stored ? input.folder : backupPath(input.folder, 'folder', 'folder');
      return ctx.app.backups.updateSchedule({ ...input, folder }, signedIn(ctx).id);
    },
    'backup.chooseFile': async ({ purpose }) => {
      if (!shell.chooseFile || !dialogChoices) return { available: false, path: null, label: null };
      if (purpose === 'probe') return { available: true, path: null, label: null };
      const chosen = await shell.chooseFile(purpose);
      if (chosen === null) return { available: true, path: null, label: null };
      return { available: true, path: dialogChoices.issue(chosen, purpose === 'backupFolder' ? 'folder' : 'file'), label: chosen };
    },
    'backup.runNow': async (_input, ctx) =>
      ctx.app.backups.runNow({
        transact: ctx.transact,
        audit: (record) => {
          ctx.audit({ clientId: null, record });
        },
      }),
  };
}

/** Channels a user who must replace a temporary password may still use. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set<ChannelName>(['app.status', 'auth.changePassword', 'auth.lock', 'auth.logout', 'session.activity']);

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

const refuseAudit = (): number => {
  throw new Error('A channel without client data must not write the access log');
};
const plainTransact = <T>(work: () => T): T => work();

const isAsync = (handler: unknown) => (handler as { constructor?: { name?: string } }).constructor?.name === 'AsyncFunction';

/**
 * Runs a client-data channel in one transaction with its access-log rows: the read or write and
 * its trace land together or not at all, and a channel that forgets to log is refused. A handler
 * that must await something first (a password check) does its database work in ctx.transact.
 */
async function runLogged(
  app: JournalApp,
  channel: ChannelName,
  user: SessionUser | null,
  handler: Handler<ChannelName>,
  input: unknown,
): Promise<unknown> {
  const db = app.db;
  let logged = 0;
  let depth = 0;
  const audit = (note: AuditNote) => {
    if (depth === 0) throw new Error(`Channel ${channel} wrote the access log outside a transaction`);
    const seq = appendAccessLog(db, {
      at: app.now().toISOString(),
      userId: user?.id ?? null,
      clientId: note.clientId,
      record: note.record,
      action: channel,
      channel,
      emergency: note.emergency !== undefined,
      reason: note.emergency?.reason ?? null,
    });
    logged += 1;
    return seq;
  };
  const transact = <T>(work: () => T): T =>
    db.transaction(() => {
      depth += 1;
      try {
        return work();
      } finally {
        depth -= 1;
      }
    })();
  const ctx = { app, user, audit, transact };
  try {
    const value = isAsync(handler)
      ? await handler(input as never, ctx)
      : transact(() => {
          const answer = handler(input as never, ctx);
          if (answer instanceof Promise) throw new Error(`Client-data channel ${channel} must answer synchronously, inside its transaction`);
          if (logged === 0) throw new Error(`Client-data channel ${channel} wrote no access-log row`);
          return answer;
        });
    if (logged === 0) throw new Error(`Client-data channel ${channel} wrote no access-log row`);
    return value;
  } catch (error) {
    // A refusal rolls back with its log rows; its trace (the clients whose data shaped it) is written
    // in a transaction of its own, so that probing with refused bookings leaves a mark in their extracts.
    const trace = error instanceof DomainError ? error.trace : undefined;
    if (trace && trace.length > 0) {
      try {
        transact(() => {
          for (const note of trace) audit({ clientId: note.clientId, record: note.record });
        });
      } catch (traceError) {
        app.log.error('router.trace_failed', { channel, errorName: (traceError as Error)?.name ?? 'unknown' });
      }
    }
    throw error;
  }
}

function failure(error: AppError): Result<never> {
  return { ok: false, error };
}

export interface Router {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
}

/**
 * Binds each contract channel to its handler: validates the input, checks the session and role,
 * runs the handler, validates (and so strips) the output, and turns every error into a typed value.
 * The Electron IPC wiring and the browser harness both call this and nothing else.
 */
export function createRouter(app: JournalApp, handlers: Handlers = createHandlers()): Router {
  return {
    async invoke(channelName, rawInput) {
      if (typeof channelName !== 'string' || !Object.hasOwn(contract, channelName)) {
        return failure({ code: 'UNKNOWN_CHANNEL', message: 'No such channel' });
      }
      const name = channelName as ChannelName;
      const spec = contract[name];
      const started = performance.now();

      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        return failure({ code: 'INVALID_INPUT', message: 'error.invalidInput', fields: fieldErrors(parsed.error) });
      }

      const user = app.user;
      if (spec.access !== 'public') {
        if (!user) {
          return failure(
            app.status().state === 'locked' ? { code: 'LOCKED', message: 'error.locked' } : { code: 'NOT_SIGNED_IN', message: 'error.notSignedIn' },
          );
        }
        if (user.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(name)) {
          return failure({ code: 'PASSWORD_CHANGE_REQUIRED', message: 'error.passwordChangeRequired' });
        }
        if (Array.isArray(spec.access) && !spec.access.some((role) => user.roles.includes(role))) {
          return failure({ code: 'FORBIDDEN', message: 'error.forbidden' });
        }
        if (!spec.passive) app.idle.touch();
      }

      try {
        const handler = handlers[name] as Handler<ChannelName>;
        const value =
          spec.clientData === 'none'
            ? await handler(parsed.data as never, { app, user, audit: refuseAudit, transact: plainTransact })
            : await runLogged(app, name, user, handler, parsed.data);
        const output = spec.output.safeParse(value);
        if (!output.success) {
          app.log.error('router.output_invalid', { channel: name });
          return failure({ code: 'INTERNAL', message: 'error.internal' });
        }
        // The newest log row is anchored outside the journal once committed (see JournalApp.anchorLog).
        if (app.isUnlocked) app.anchorLog();
        const ms = Math.round(performance.now() - started);
        // Sign-in channels are slow on purpose (Argon2id); everything else should answer at once.
        if (ms > 200 && !name.startsWith('auth.')) app.log.warn('router.slow_call', { channel: name, ms });
        return { ok: true, value: output.data };
      } catch (error) {
        if (error instanceof DomainError) return failure(error.toAppError());
        // A full disk or a read-only folder is told as such (the write was rolled back with its transaction), never as INTERNAL.
        const storage = storageError(error, app.dataDir);
        if (storage) {
          app.log.error('router.storage_error', { channel: name, code: String((error as { code?: unknown }).code), reason: storage.message });
          return failure(storage.toAppError());
        }
        // The error itself may quote data: only its class name reaches the log.
        app.log.error('router.unhandled', { channel: name, errorName: (error as Error)?.name ?? 'unknown' });
        return failure({ code: 'INTERNAL', message: 'error.internal' });
      }
    },
  };
}
