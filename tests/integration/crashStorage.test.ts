import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyring } from '../../db/journal.js';
import { keyringPath, unlockWithPassword } from '../../db/keyring.js';
import { startHarness, type Harness } from '../../main/harness/server.js';
import { setStorageFault } from '../../main/harness/storageFault.js';
import { silentLogger } from '../../main/log.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { canMount, fillDisk, freeSpace, mountSmallDisk, readOnlyView } from '../helpers/crashStorage.js';
import { intakeInput, setUpReception } from '../helpers/reception.js';
import { dataFolderFiles, journalFingerprint } from '../helpers/snapshot.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * A full disk or a read-only data folder: every write is refused with a typed STORAGE error that
 * says which (never INTERNAL), nothing of it is stored — not half a record, not its access-log row,
 * not a new password — and once there is room again the very same input is saved.
 */

const tempDir = useTempDirs();
const THERAPIST = { displayName: 'Disa Diskfullsdotter', username: 'disa.d', password: 'disas-egen-långa-fras' };
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '07:00', end: '20:00' }));
/** Longer than a page: a draft like this always needs new pages of the journal. */
const LONG_NOTE = 'Fiktiv anteckning om ett stödsamtal på mottagningen, utan riktiga uppgifter. '.repeat(90);
const FULL = { ok: false, error: { code: 'STORAGE', message: 'error.storage.full' } };
const READ_ONLY = { ok: false, error: { code: 'STORAGE', message: 'error.storage.readOnly' } };

/** A journal with a receptionist-therapist in a care relation with one client, signed in as her. */
async function desk(dir: string): Promise<{ t: TestApp; clientId: string; therapistId: string }> {
  const t = await setUpReception(dir);
  const created = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
    displayName: THERAPIST.displayName,
    username: THERAPIST.username,
    roles: ['receptionist', 'therapist'],
  });
  await t.ok('org.saveTherapist', { userId: created.user.id, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: EVERY_DAY });
  const clientId = await t.newClient('victim', 'Disk Klientsdotter');
  await t.ok('care.assign', { side: 'victims', clientId, therapistId: created.user.id });
  await t.ok('auth.login', { username: THERAPIST.username, password: created.temporaryPassword });
  await t.ok('auth.changePassword', {
    currentPassword: created.temporaryPassword,
    newPassword: THERAPIST.password,
    newPasswordRepeat: THERAPIST.password,
  });
  return { t, clientId, therapistId: created.user.id };
}

function booking(clientId: string, therapistId: string, n: number) {
  const minutes = 7 * 60 + (n % 52) * 15;
  const day = new Date(Date.UTC(2031, 2, 3 + Math.floor(n / 52))).toISOString().slice(0, 10);
  return {
    side: 'victims',
    clientId,
    groupId: null,
    kind: 'individual',
    siteId: 'skaraborg',
    therapistId,
    roomId: 'skaraborg-r1',
    date: day,
    start: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
    durationMinutes: 15,
    note: 'Fiktiv notering',
  };
}

/** A call that must be refused and must leave every table and the keyring exactly as they were. */
async function expectRefusedWithoutTrace(t: TestApp, refusal: unknown, channel: string, input: unknown): Promise<void> {
  const before = journalFingerprint(t.app.db, t.app.dataDir);
  expect(await t.call(channel, input)).toEqual(refusal);
  expect(journalFingerprint(t.app.db, t.app.dataDir)).toBe(before);
}

describe('a full journal', () => {
  it('refuses a booking and a long journal draft with "disk full", stores nothing of them, and saves the same input once there is room', async () => {
    const { t, clientId, therapistId } = await desk(tempDir());
    setStorageFault(t.app.db, 'full');

    // The reception books on until the journal has no room left for the next booking.
    let n = 0;
    let refused: Awaited<ReturnType<typeof t.call>> | null = null;
    for (; n < 500 && !refused; n += 1) {
      const before = journalFingerprint(t.app.db, t.app.dataDir);
      const result = await t.call('appointments.book', booking(clientId, therapistId, n));
      if (!result.ok) {
        refused = result;
        expect(journalFingerprint(t.app.db, t.app.dataDir)).toBe(before);
      }
    }
    expect(refused).toEqual(FULL);
    // Every booking before the refused one is there, and the refused one is not.
    expect(t.app.db.prepare('SELECT count(*) AS n FROM appointments').get()).toEqual({ n: n - 1 });
    const failed = booking(clientId, therapistId, n - 1);
    await expectRefusedWithoutTrace(t, FULL, 'journal.saveDraft', { clientId, entryId: null, kind: 'note', body: LONG_NOTE });

    // IT makes room: the same booking and the same draft are saved, each with its access-log row.
    setStorageFault(t.app.db, 'normal');
    const booked = await t.ok<{ appointment: { id: string } }>('appointments.book', failed);
    const draft = await t.ok<{ id: string; body: string }>('journal.saveDraft', { clientId, entryId: null, kind: 'note', body: LONG_NOTE });
    expect(draft.body).toBe(LONG_NOTE);
    for (const record of [`appointment:${booked.appointment.id}`, `entry:${draft.id}`]) {
      expect(t.app.db.prepare('SELECT count(*) AS n FROM access_log WHERE record = ?').get(record)).toEqual({ n: 1 });
    }
    expect(t.app.db.pragma('integrity_check', { simple: true })).toBe('ok');
    t.app.lock('shutdown');
  });
});

describe('a journal that has become read-only', () => {
  it('refuses a first call, a booking and a draft with "read-only", stores nothing, and saves them once it is writable again', async () => {
    const { t, clientId, therapistId } = await desk(tempDir());
    const intake = intakeInput('victim', 'Skrivskydd Testsdotter', { birthYear: 1979, reason: 'Fiktiv anledning' });
    const draft = { clientId, entryId: null, kind: 'note', body: 'En kort fiktiv anteckning.' };
    setStorageFault(t.app.db, 'readOnly');
    await expectRefusedWithoutTrace(t, READ_ONLY, 'intake.register', intake);
    await expectRefusedWithoutTrace(t, READ_ONLY, 'appointments.book', booking(clientId, therapistId, 0));
    await expectRefusedWithoutTrace(t, READ_ONLY, 'journal.saveDraft', draft);
    // Reading is refused as well: every read of client data is written to the access log, or it does not happen.
    await expectRefusedWithoutTrace(t, READ_ONLY, 'journal.open', { clientId });

    setStorageFault(t.app.db, 'normal');
    await t.ok('intake.register', intake);
    await t.ok('appointments.book', booking(clientId, therapistId, 0));
    await t.ok('journal.saveDraft', draft);
    t.app.lock('shutdown');
  });

  it('a first password change that the journal cannot record leaves the temporary password in force, and says so', async () => {
    const dir = tempDir();
    const t = await setUpReception(dir);
    const created = await t.ok<{ temporaryPassword: string }>('users.create', {
      displayName: 'Ny Kollega',
      username: 'ny.kollega',
      roles: ['receptionist'],
    });
    await t.ok('auth.login', { username: 'ny.kollega', password: created.temporaryPassword });
    const keyringBefore = readFileSync(keyringPath(dir));
    setStorageFault(t.app.db, 'readOnly');
    const change = {
      currentPassword: created.temporaryPassword,
      newPassword: 'kollegans-nya-långa-fras',
      newPasswordRepeat: 'kollegans-nya-långa-fras',
    };
    expect(await t.call('auth.changePassword', change)).toEqual(READ_ONLY);
    // The answer "not changed" is true: the keyring is back as it was, and the temporary password opens the journal.
    expect(readFileSync(keyringPath(dir))).toEqual(keyringBefore);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await unlockWithPassword(loadKeyring(dir), 'ny.kollega', change.newPassword)).toBeNull();
    expect(await unlockWithPassword(loadKeyring(dir), 'ny.kollega', created.temporaryPassword)).not.toBeNull();
    expect(t.app.user?.mustChangePassword).toBe(true);

    setStorageFault(t.app.db, 'normal');
    expect(await t.ok('auth.changePassword', change)).toMatchObject({ mustChangePassword: false });
    expect(await unlockWithPassword(loadKeyring(dir), 'ny.kollega', change.newPassword)).not.toBeNull();
    t.app.lock('shutdown');
  });
});

describe.skipIf(!canMount)('a real disk that fills up, and a real read-only folder (needs permission to mount; skipped otherwise)', () => {
  it(
    'refuses a booking, a draft and a password change with "disk full" and loses nothing; frees up and saves the same',
    { timeout: 60_000 },
    async () => {
      const disk = mountSmallDisk(16 * 1024 * 1024)!;
      try {
        const { t, clientId, therapistId } = await desk(disk.dir);
        // Colleagues enough that the keyring no longer fits in one page of the disk.
        for (let i = 0; i < 10; i += 1) {
          await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
          await t.ok('users.create', { displayName: `Fiktiv Kollega ${i}`, username: `kollega.${i}`, roles: ['receptionist'] });
        }
        await t.ok('auth.login', { username: THERAPIST.username, password: THERAPIST.password });
        const keyringBefore = readFileSync(keyringPath(disk.dir));
        expect(keyringBefore.length).toBeGreaterThan(4096);

        const ballast = fillDisk(disk.dir);
        expect(freeSpace(disk.dir)).toBeLessThan(4096);
        await expectRefusedWithoutTrace(t, FULL, 'appointments.book', booking(clientId, therapistId, 0));
        await expectRefusedWithoutTrace(t, FULL, 'journal.saveDraft', { clientId, entryId: null, kind: 'note', body: LONG_NOTE });
        const change = { currentPassword: THERAPIST.password, newPassword: 'disas-andra-långa-fras', newPasswordRepeat: 'disas-andra-långa-fras' };
        expect(await t.call('auth.changePassword', change)).toEqual(FULL);
        expect(readFileSync(keyringPath(disk.dir))).toEqual(keyringBefore);

        // One page free: the new keyring starts to fit and then does not. It must not be cut short and put in place.
        rmSync(ballast.pop()!);
        expect(await t.call('auth.changePassword', change)).toEqual(FULL);
        expect(readFileSync(keyringPath(disk.dir))).toEqual(keyringBefore);
        expect(readdirSync(disk.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
        expect(await unlockWithPassword(loadKeyring(disk.dir), THERAPIST.username, THERAPIST.password)).not.toBeNull();

        // IT frees the disk: the same booking, draft and password change go through, on the same open journal.
        for (const file of ballast) rmSync(file);
        await t.ok('appointments.book', booking(clientId, therapistId, 0));
        await t.ok('journal.saveDraft', { clientId, entryId: null, kind: 'note', body: LONG_NOTE });
        await t.ok('auth.changePassword', change);
        expect(await unlockWithPassword(loadKeyring(disk.dir), THERAPIST.username, change.newPassword)).not.toBeNull();
        expect(t.app.db.pragma('integrity_check', { simple: true })).toBe('ok');
        t.app.lock('shutdown');
      } finally {
        disk.unmount();
      }
    },
  );

  it('signing in on a read-only data folder says so, and changes nothing in it', async () => {
    const dir = tempDir();
    const t = await setUpReception(dir);
    t.app.lock('shutdown');
    const view = readOnlyView(dir)!;
    try {
      const before = dataFolderFiles(dir);
      const app = makeApp(view.dir);
      expect(await app.call('app.status')).toMatchObject({ ok: true, value: { state: 'locked' } });
      expect(await app.call('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password })).toEqual(READ_ONLY);
      expect(app.app.isUnlocked).toBe(false);
      expect(dataFolderFiles(dir)).toEqual(before);
    } finally {
      view.unmount();
    }
    // Writable again, the same folder opens as before.
    const again = makeApp(dir);
    await again.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(again.app.db.pragma('integrity_check', { simple: true })).toBe('ok');
    again.app.lock('shutdown');
  });
});

describe("the browser harness's storage-fault switch (tests only)", () => {
  it('is off unless asked for, needs the token and an open journal, and makes the journal full and normal again', async () => {
    const rendererDir = tempDir();
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
    const post = (h: Harness, fault: string, token = h.token) =>
      fetch(`http://127.0.0.1:${h.port}/__harness/storage-fault?fault=${fault}`, { method: 'POST', headers: { 'x-utvag-token': token } });

    const plain = await startHarness({ dataDir: tempDir(), rendererDir, log: silentLogger });
    try {
      // Without the switch the route does not exist: a POST anywhere but /__harness/invoke is refused.
      expect((await post(plain, 'full')).status).toBe(405);
    } finally {
      await plain.close();
    }

    const dataDir = tempDir();
    const t = await setUpReception(dataDir);
    const h = await startHarness({ dataDir, rendererDir, log: silentLogger, app: t.app, storageFaults: true });
    try {
      expect((await post(h, 'full', 'a-guess')).status).toBe(403);
      expect((await post(h, 'everything')).status).toBe(400);
      const intake = intakeInput('victim', 'Växel Testsdotter');
      expect((await post(h, 'readOnly')).status).toBe(200);
      expect(await t.call('intake.register', intake)).toEqual(READ_ONLY);
      expect((await post(h, 'full')).status).toBe(200);
      // Full: no free page left, and no growth allowed.
      expect(t.app.db.pragma('freelist_count', { simple: true })).toBe(0);
      expect(t.app.db.pragma('max_page_count', { simple: true })).toBe(t.app.db.pragma('page_count', { simple: true }));
      expect((await post(h, 'normal')).status).toBe(200);
      await t.ok('intake.register', intake);
      t.app.lock('user');
      expect((await post(h, 'readOnly')).status).toBe(409);
    } finally {
      await h.close();
    }
  });
});
