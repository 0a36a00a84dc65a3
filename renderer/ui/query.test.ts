import { QueryObserver, type QueryObserverResult } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { contract, type ChannelName, type LiveChange, type LiveEvent, type Result } from '../../preload/contract/index';
import {
  bindSession,
  channelKey,
  ChannelError,
  createSessionQueryClient,
  dropClientData,
  dropSessionCache,
  holdsClientData,
  INVALIDATES,
  invalidateChannels,
  keepWithinSide,
  shouldRetry,
} from './query';

/**
 * The query layer over a bridge whose answers the test releases by hand, the way the preload's
 * would arrive: late, in any order. The app's e2e (reception.spec) proves the same in the browser.
 */
interface Pending {
  channel: string;
  input: unknown;
  answer(result: Result<unknown>): void;
}
const pending: Pending[] = [];
const calls: string[] = [];
const globals = globalThis as { window?: { utvag?: { invoke(channel: string, input: unknown): Promise<Result<unknown>> } } };
globals.window = {
  utvag: {
    invoke: (channel, input) => {
      calls.push(channel);
      return new Promise((resolve) => pending.push({ channel, input, answer: resolve }));
    },
  },
};

afterEach(() => {
  pending.length = 0;
  calls.length = 0;
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any key shape
function watch<T>(observer: QueryObserver<T, ChannelError, T, T, any>): QueryObserverResult<T, ChannelError>[] {
  const seen: QueryObserverResult<T, ChannelError>[] = [];
  observer.subscribe((result) => seen.push(result));
  return seen;
}

const VICTIM_DAY = [{ id: 'a1', clientName: 'Testa Offersdotter' }];
const PERPETRATOR_DAY = [{ id: 'b1', clientName: 'Prov Förövarsson' }];

describe('the session query cache', () => {
  it('drops a slow answer for the victims once the desk has switched to the perpetrators', async () => {
    const client = createSessionQueryClient();
    const fetchDay = (side: 'victims' | 'perpetrators') => async () => {
      const result = await globals.window!.utvag!.invoke('schedule.today', { side, siteId: 's1', date: '2031-11-18' });
      if (!result.ok) throw new ChannelError(result.error);
      return result.value;
    };
    const victimsKey = channelKey('schedule.today', { side: 'victims', siteId: 's1', date: '2031-11-18' });
    const victims = new QueryObserver(client, { queryKey: victimsKey, queryFn: fetchDay('victims') });
    const victimsSeen = watch(victims);
    await tick();
    expect(pending.map((call) => call.input)).toEqual([{ side: 'victims', siteId: 's1', date: '2031-11-18' }]);

    // The switch: every client answer goes before the perpetrators' board asks.
    dropClientData(client);
    const perpetratorsKey = channelKey('schedule.today', { side: 'perpetrators', siteId: 's1', date: '2031-11-18' });
    const perpetrators = new QueryObserver(client, { queryKey: perpetratorsKey, queryFn: fetchDay('perpetrators') });
    const perpetratorsSeen = watch(perpetrators);
    await tick();

    // The victims' answer arrives late, after the perpetrators' board has asked.
    pending[0]!.answer({ ok: true, value: VICTIM_DAY });
    await tick();
    expect(client.getQueryData(victimsKey)).toBeUndefined();
    expect(perpetratorsSeen.every((result) => result.data === undefined)).toBe(true);
    expect(
      client
        .getQueryCache()
        .findAll()
        .map((query) => query.queryKey),
    ).toEqual([perpetratorsKey]);

    pending[1]!.answer({ ok: true, value: PERPETRATOR_DAY });
    await tick();
    expect(perpetrators.getCurrentResult().data).toEqual(PERPETRATOR_DAY);
    expect(perpetratorsSeen.some((result) => JSON.stringify(result.data ?? null).includes('Offersdotter'))).toBe(false);
    expect(victimsSeen.some((result) => result.data !== undefined)).toBe(false);
    victims.destroy();
    perpetrators.destroy();
    client.clear();
  });

  it('keeps the last answer on screen while the next comes only within one side', () => {
    const sameSide = keepWithinSide('schedule.range', 'victims');
    const victimsWeek = {
      queryKey: channelKey('schedule.range', { side: 'victims', siteId: 's1', from: '2031-11-17', days: 7, therapistId: null, roomId: null }),
    };
    const perpetratorsWeek = {
      queryKey: channelKey('schedule.range', { side: 'perpetrators', siteId: 's1', from: '2031-11-17', days: 7, therapistId: null, roomId: null }),
    };
    expect(sameSide(VICTIM_DAY, victimsWeek)).toBe(VICTIM_DAY);
    expect(keepWithinSide('schedule.range', 'perpetrators')(VICTIM_DAY, victimsWeek)).toBeUndefined();
    expect(sameSide(PERPETRATOR_DAY, perpetratorsWeek)).toBeUndefined();
    expect(keepWithinSide('schedule.today', 'victims')(VICTIM_DAY, victimsWeek)).toBeUndefined();
  });

  it('drops at a side switch every answer that holds client data, also those that name no side', () => {
    const client = createSessionQueryClient();
    client.setQueryData(channelKey('journal.open', { clientId: 'c1' }), { entries: [] });
    client.setQueryData(channelKey('waitingList.list', { side: 'victims' }), VICTIM_DAY);
    client.setQueryData(channelKey('org.get', {}), { sites: [] });
    client.setQueryData(channelKey('users.list', {}), []);
    dropClientData(client);
    expect(
      client
        .getQueryCache()
        .findAll()
        .map((query) => query.queryKey[0])
        .sort(),
    ).toEqual(['org.get', 'users.list']);
    expect(holdsClientData(['no.such.channel', {}])).toBe(true);
  });

  it('drops the whole cache when an answer says the session is locked', async () => {
    const client = createSessionQueryClient();
    const unbind = bindSession(client);
    client.setQueryData(channelKey('org.get', {}), { sites: [] });
    client.setQueryData(channelKey('clients.get', { side: 'victims', clientId: 'c1' }), { name: 'Testa Offersdotter' });
    const { call } = await import('./api');
    const answer = call('waitingList.list', { side: 'victims' });
    await tick();
    pending[0]!.answer({ ok: false, error: { code: 'LOCKED', message: 'error.locked' } });
    await answer;
    expect(client.getQueryCache().findAll()).toHaveLength(0);
    // The desk's own lock (Ctrl+L, the idle lock) drops it too, before the lock screen shows.
    client.setQueryData(channelKey('journal.open', { clientId: 'c1' }), { entries: [] });
    dropSessionCache();
    expect(client.getQueryCache().findAll()).toHaveLength(0);
    // Signed out: the desk unmounts and its cache goes with it.
    client.setQueryData(channelKey('org.get', {}), { sites: [] });
    unbind();
    expect(client.getQueryCache().findAll()).toHaveLength(0);
  });

  it('shows a refusal as the screen did, without asking again', async () => {
    const client = createSessionQueryClient();
    const observer = new QueryObserver(client, {
      queryKey: channelKey('settings.get', {}),
      queryFn: async () => {
        const result = await globals.window!.utvag!.invoke('settings.get', {});
        if (!result.ok) throw new ChannelError(result.error);
        return result.value;
      },
    });
    const seen = watch(observer);
    await tick();
    pending[0]!.answer({ ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } });
    await tick();
    await tick();
    const last = seen[seen.length - 1]!;
    expect(last.status).toBe('error');
    expect(last.error).toBeInstanceOf(ChannelError);
    expect(last.error?.message).toBe('error.forbidden');
    expect(calls).toEqual(['settings.get']);
    for (const code of ['FORBIDDEN', 'CONFLICT', 'INVALID_INPUT', 'LOCKED', 'NOT_FOUND', 'INTERNAL'] as const) {
      expect(shouldRetry(0, new ChannelError({ code, message: 'error.internal' }))).toBe(false);
    }
    // Only a lost connection is asked once more.
    expect(shouldRetry(0, new ChannelError({ code: 'INTERNAL', message: 'error.connection' }))).toBe(true);
    expect(shouldRetry(1, new ChannelError({ code: 'INTERNAL', message: 'error.connection' }))).toBe(false);
    observer.destroy();
    client.clear();
  });

  it('invalidates by channel name or by a prefix, and leaves the rest fresh', async () => {
    const client = createSessionQueryClient();
    client.setQueryData(channelKey('journal.open', { clientId: 'c1' }), { entries: [] });
    client.setQueryData(channelKey('journal.myDrafts', { side: 'victims' }), []);
    client.setQueryData(['contacts.list', {}], []);
    await invalidateChannels(['journal.'], client);
    const stale = (channel: string) =>
      client
        .getQueryCache()
        .find({ queryKey: [channel], exact: false })!
        .isStale();
    expect(client.getQueryState(channelKey('journal.open', { clientId: 'c1' }))?.isInvalidated).toBe(true);
    expect(client.getQueryState(channelKey('journal.myDrafts', { side: 'victims' }))?.isInvalidated).toBe(true);
    expect(client.getQueryState(['contacts.list', {}])?.isInvalidated).toBe(false);
    expect(stale('journal.open')).toBe(true);
    client.clear();
  });

  it('names in its invalidation map only writes and reads the contract has', () => {
    for (const [write, reads] of Object.entries(INVALIDATES)) {
      expect(contract[write as ChannelName], write).toBeDefined();
      for (const read of reads ?? []) expect(contract[read], `${write} → ${read}`).toBeDefined();
    }
    // Every write that changes client data says which reads it changes.
    const writes = (Object.keys(contract) as ChannelName[]).filter(
      (name) => contract[name].clientData === 'write' && !name.startsWith('backup.') && name !== 'auth.recover',
    );
    expect(writes.filter((name) => !INVALIDATES[name])).toEqual([]);
  });
});

describe("another desk's changes (server mode)", () => {
  it('refetch only the shown reads of the changed kind, side, site and day, and stop with the session', async () => {
    const listeners = new Set<(change: LiveChange) => void>();
    const bridge = globals.window!.utvag as { onChange?: (listener: (change: LiveChange) => void) => () => void };
    bridge.onChange = (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    const emit = (change: LiveChange) => {
      for (const listener of listeners) listener(change);
    };
    try {
      const client = createSessionQueryClient();
      const unbind = bindSession(client);
      const observe = <C extends ChannelName>(channel: C, input: unknown) =>
        watch(
          new QueryObserver(client, {
            queryKey: [channel, input],
            queryFn: async () => {
              const result = await globals.window!.utvag!.invoke(channel, input);
              if (!result.ok) throw new ChannelError(result.error);
              return result.value;
            },
          }),
        );
      observe('schedule.today', { side: 'victims', siteId: 's1', date: '2031-11-18' });
      observe('schedule.today', { side: 'perpetrators', siteId: 's1', date: '2031-11-18' });
      observe('schedule.range', { side: 'victims', siteId: 's1', from: '2031-11-17', days: 7, therapistId: null, roomId: null });
      observe('waitingList.list', { side: 'victims' });
      await tick();
      for (const each of pending.splice(0)) each.answer({ ok: true, value: [] });
      await tick();
      calls.length = 0;

      emit({ kind: 'appointments', site: 's1', side: 'victims', day: '2031-11-18' });
      await tick();
      expect(calls.sort()).toEqual(['schedule.range', 'schedule.today']);
      expect(pending.map((each) => (each.input as { side: string }).side)).toEqual(['victims', 'victims']);
      for (const each of pending.splice(0)) each.answer({ ok: true, value: [] });
      await tick();
      calls.length = 0;

      // Another side, another site, a day outside the week shown: nothing asks again.
      emit({ kind: 'appointments', site: 's1', side: 'perpetrators', day: '2031-11-19' });
      emit({ kind: 'appointments', site: 's2', side: 'victims', day: '2031-11-18' });
      emit({ kind: 'appointments', site: 's1', side: 'victims', day: '2031-11-24' });
      await tick();
      expect(calls).toEqual([]);

      emit({ kind: 'waiting_list', site: null, side: 'victims', day: null });
      await tick();
      expect(calls).toEqual(['waitingList.list']);
      pending.splice(0)[0]!.answer({ ok: true, value: [] });
      await tick();

      unbind();
      expect(listeners.size).toBe(0);
    } finally {
      delete bridge.onChange;
    }
  });

  it('a resync (changes went unannounced) reads every shown read again, once, and only the shown ones', async () => {
    const listeners = new Set<(change: LiveEvent) => void>();
    const bridge = globals.window!.utvag as { onChange?: (listener: (change: LiveEvent) => void) => () => void };
    bridge.onChange = (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    try {
      const client = createSessionQueryClient();
      const unbind = bindSession(client);
      const observe = (channel: ChannelName, input: unknown) =>
        new QueryObserver(client, {
          queryKey: [channel, input],
          queryFn: async () => {
            const result = await globals.window!.utvag!.invoke(channel, input);
            if (!result.ok) throw new ChannelError(result.error);
            return result.value;
          },
        });
      const shown = [
        observe('schedule.today', { side: 'victims', siteId: 's1', date: '2031-11-18' }),
        observe('waitingList.list', { side: 'victims' }),
        observe('org.get', {}),
      ];
      const offs = shown.map((observer) => observer.subscribe(() => undefined));
      await tick();
      for (const each of pending.splice(0)) each.answer({ ok: true, value: [] });
      await tick();
      // A read nobody shows any more: marked stale, not asked again (each read of client data is logged).
      offs[2]!();
      calls.length = 0;

      for (const listener of listeners) listener({ kind: 'resync' });
      await tick();
      expect(calls.sort()).toEqual(['schedule.today', 'waitingList.list']);
      expect(client.getQueryState(['org.get', {}])?.isInvalidated).toBe(true);
      for (const each of pending.splice(0)) each.answer({ ok: true, value: [] });
      await tick();
      offs[0]!();
      offs[1]!();
      unbind();
    } finally {
      delete bridge.onChange;
    }
  });
});
