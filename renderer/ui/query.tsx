import {
  isCancelledError,
  QueryClient,
  QueryClientProvider,
  useMutation,
  useQuery,
  useQueryClient,
  type Query,
  type QueryKey,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  contract,
  ERROR_CODES,
  type AppError,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type ErrorCode,
  type LiveChange,
  type LiveEvent,
  type Result,
  type Side,
} from '../../preload/contract/index';
import { call, onSessionLost } from './api';

/**
 * The desk's server state: every read goes through one cache, keyed [channel, input]. The cache
 * lives for one signed-in session and is dropped whole at a lock or sign-out; at a side switch
 * every answer that holds client data is dropped before the other side renders, so an answer for
 * one side can never paint the other. Nothing is persisted: no client data in storage.
 */

/** A refused or failed answer, as the screens show it today: `message` is the contract's message key. */
export class ChannelError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'ChannelError';
    this.code = error.code;
    this.fields = error.fields;
    this.retryAfterSeconds = error.retryAfterSeconds;
  }
}

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ChannelError;
  }
}

export type ChannelKey<C extends ChannelName = ChannelName> = readonly [C, ChannelInput<C>];

export function channelKey<C extends ChannelName>(channel: C, input: ChannelInput<C>): ChannelKey<C> {
  return [channel, input] as const;
}

/** The side a key's input names, if it names one. */
export function sideOfKey(key: QueryKey): Side | undefined {
  const input = key[1];
  if (input && typeof input === 'object' && 'side' in input) {
    const side = (input as { side: unknown }).side;
    if (side === 'victims' || side === 'perpetrators') return side;
  }
  return undefined;
}

/**
 * Answers dropped at a side switch: any that names a side, and any from a channel that reads
 * client data without naming one (a journal opened by its client's id), since that person
 * belongs to one side too. Only the centre's own setup (rooms, users, settings) survives.
 */
export function holdsClientData(key: QueryKey): boolean {
  if (sideOfKey(key) !== undefined) return true;
  const channel = key[0];
  if (typeof channel !== 'string' || !(channel in contract)) return true;
  return contract[channel as ChannelName].clientData !== 'none';
}

/**
 * Which reads each write changes: one map, so screens do not each guess. A write invalidates these
 * channels whatever their input; the active ones refetch, the rest are marked stale.
 */
const SCHEDULE_READS = [
  'schedule.range',
  'schedule.today',
  'slots.find',
  'waitingList.list',
  'clients.get',
  'groups.list',
  'groups.sessions',
  'journal.myClients',
] as const;
const ORG_READS = ['org.get', 'schedule.range', 'schedule.today', 'slots.find'] as const;
export const INVALIDATES: Partial<Record<ChannelName, readonly ChannelName[]>> = {
  'intake.register': [
    'clients.search',
    'clients.get',
    'clients.findForLink',
    'waitingList.list',
    'journal.myClients',
    'contacts.referrers',
    'etapp2.followUps',
  ],
  'clients.updateContact': ['clients.get', 'clients.search'],
  // A corrected name shows wherever the client is listed.
  'clients.update': ['clients.get', 'clients.search', 'waitingList.list', 'schedule.range', 'schedule.today', 'groups.list', 'journal.myClients'],
  'clients.link': ['clients.get', 'clients.findForLink', 'schedule.range', 'schedule.today', 'slots.find'],
  'appointments.book': SCHEDULE_READS,
  'appointments.move': SCHEDULE_READS,
  'appointments.cancel': SCHEDULE_READS,
  'appointments.setStatus': SCHEDULE_READS,
  'groups.create': ['groups.list'],
  'groups.addMember': ['groups.list', 'groups.sessions', 'clients.get'],
  'groups.removeMember': ['groups.list', 'groups.sessions', 'clients.get'],
  'groups.end': SCHEDULE_READS,
  'groups.setAttendance': ['groups.sessions'],
  'etapp2.setFollowUp': ['etapp2.followUps'],
  'care.assign': ['clients.get', 'journal.myClients', 'journal.findClient'],
  'care.end': ['clients.get', 'journal.myClients', 'journal.findClient'],
  'journal.saveDraft': ['journal.open', 'journal.myDrafts'],
  'journal.deleteDraft': ['journal.open', 'journal.myDrafts'],
  'journal.sign': ['journal.open', 'journal.myDrafts', 'journal.myClients'],
  'journal.amend': ['journal.open', 'journal.myDrafts'],
  'org.saveWaitingRoom': ORG_READS,
  'org.saveRoom': ORG_READS,
  'org.saveEntrance': ORG_READS,
  'org.setTrackRoute': ORG_READS,
  // The Etapp 2 list shows which municipalities take part in each track.
  'org.setMunicipality': [...ORG_READS, 'etapp2.followUps'],
  'org.saveTherapist': [...ORG_READS, 'users.list'],
  'contacts.save': ['contacts.list', 'contacts.referrers'],
  'contacts.delete': ['contacts.list', 'contacts.referrers'],
  'networkDays.save': ['networkDays.list'],
  'networkDays.setAttendance': ['networkDays.list'],
  'settings.update': ['settings.get', 'org.get', 'schedule.range', 'schedule.today', 'slots.find'],
  'users.create': ['users.list', 'org.get'],
  'users.resetPassword': ['users.list'],
  'users.deactivate': ['users.list', 'org.get'],
  // The Organisation screen and the slot finder list only therapists.
  'users.setRoles': [...ORG_READS, 'users.list'],
  'auth.changePassword': ['users.list'],
  // The access log page reads again what a review changes: every read of the log is itself logged, so no more than that.
  'audit.markReviewed': [],
  'backup.schedule.update': ['backup.status'],
  'backup.runNow': ['backup.status', 'backup.leftovers.list'],
  'backup.export': ['backup.status', 'backup.leftovers.list'],
  'backup.leftovers.remove': ['backup.leftovers.list'],
  'workstation.update': ['workstation.get'],
};

/**
 * Lists and boards that others change while the desk looks at them: these ask again when the window
 * comes back into view. A single record (a journal, a client's extract) is read once per opening,
 * since every read of client data writes a row in the access log.
 */
const LIVE_ON_FOCUS = new Set<ChannelName>([
  'org.get',
  'schedule.range',
  'schedule.today',
  'waitingList.list',
  'groups.list',
  'groups.sessions',
  'journal.myClients',
  'journal.myDrafts',
  'backup.status',
]);

/** Refusals are answers, not faults: asking again would only repeat them (and log them). Every code but INTERNAL is one. */
const NO_RETRY = new Set<ErrorCode>(ERROR_CODES.filter((code) => code !== 'INTERNAL'));

export function shouldRetry(failureCount: number, error: unknown): boolean {
  // Only a lost connection (server mode) is worth one more try; an internal fault is told at once.
  if (!(error instanceof ChannelError)) return false;
  if (NO_RETRY.has(error.code)) return false;
  return error.code === 'INTERNAL' && error.message === 'error.connection' && failureCount < 1;
}

/** A session's cache. `hasUnsavedWork` stops refetches on window focus while a form is half-typed. */
export function createSessionQueryClient(hasUnsavedWork: () => boolean = () => false): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 0,
        // Answers nobody shows are dropped soon: client data stays in memory no longer than needed.
        gcTime: 30_000,
        retry: shouldRetry,
        refetchOnReconnect: false,
        refetchOnWindowFocus: (query: Query) => LIVE_ON_FOCUS.has(query.queryKey[0] as ChannelName) && !hasUnsavedWork(),
        // Never refetch on a timer: a read of client data postpones the idle lock and writes the access log.
        refetchInterval: false,
        networkMode: 'always',
      },
      // A write's answer (a temporary password, a recovery code) is held no longer than its screen.
      mutations: { retry: false, networkMode: 'always', gcTime: 0 },
    },
  });
}

/** Drops every answer that holds client data: called before the desk shows the other side. */
export function dropClientData(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => holdsClientData(query.queryKey) });
}

let current: QueryClient | null = null;

/**
 * Marks the reads of these channels stale and refetches the shown ones: the entry for change
 * events of server mode. Names are channels or key prefixes ('journal.' for every journal read).
 */
export function invalidateChannels(names: readonly string[], client: QueryClient | null = current): Promise<void> {
  if (!client || names.length === 0) return Promise.resolve();
  return client.invalidateQueries({
    predicate: (query) => {
      const channel = query.queryKey[0];
      return typeof channel === 'string' && names.some((name) => channel === name || (name.endsWith('.') && channel.startsWith(name)));
    },
  });
}

/**
 * Server mode: which reads another desk's change of each kind touches. Only the shown ones refetch
 * (each read of client data writes the access log on the server), the rest are marked stale.
 */
export const LIVE_READS: Record<LiveChange['kind'], readonly ChannelName[]> = {
  appointments: ['schedule.range', 'schedule.today', 'slots.find', 'clients.get', 'journal.myClients'],
  clients: ['clients.get', 'clients.search', 'clients.findForLink', 'journal.myClients', 'journal.findClient'],
  intakes: ['waitingList.list', 'clients.search', 'clients.get'],
  waiting_list: ['waitingList.list'],
  groups: ['groups.list', 'clients.get'],
};

/** Whether a read's key can show what the change names: its side, its site and its day, where the key says them. */
export function changeTouches(key: QueryKey, change: LiveChange): boolean {
  const side = sideOfKey(key);
  if (side !== undefined && side !== change.side) return false;
  const input = (key[1] ?? {}) as { siteId?: unknown; date?: unknown; from?: unknown; days?: unknown };
  if (change.site !== null && typeof input.siteId === 'string' && input.siteId !== change.site) return false;
  if (change.day !== null) {
    if (key[0] === 'schedule.today' && typeof input.date === 'string' && input.date !== change.day) return false;
    if (key[0] === 'schedule.range' && typeof input.from === 'string' && typeof input.days === 'number') {
      // Whole calendar days, compared as UTC dates: no time zone enters.
      const offset = (Date.parse(`${change.day}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / 86_400_000;
      if (offset < 0 || offset >= input.days) return false;
    }
  }
  return true;
}

/**
 * The entry for server mode's change events: the reads the change touches read again. Its content is
 * never shown or kept. A resync (changes may have gone unannounced) reads every shown screen again,
 * once; the rest are marked stale. Forms keep what was typed: a read again never resets one.
 */
export function invalidateForChange(change: LiveEvent, client: QueryClient | null = current): Promise<void> {
  if (!client) return Promise.resolve();
  if (change.kind === 'resync') return client.invalidateQueries();
  const channels = LIVE_READS[change.kind] as readonly string[] | undefined;
  if (!channels) return Promise.resolve();
  return client.invalidateQueries({
    predicate: (query) => {
      const channel = query.queryKey[0];
      return typeof channel === 'string' && channels.includes(channel) && changeTouches(query.queryKey, change);
    },
  });
}

/**
 * Makes `client` the session's cache until the returned function is called (the desk unmounts at a
 * lock or sign-out), and drops every answer the moment any answer says the session is gone.
 */
export function bindSession(client: QueryClient): () => void {
  current = client;
  // The lock screen shows at the next status answer; the answers go now.
  const off = onSessionLost(() => client.clear());
  // Server mode: another desk's changes make the shown reads ask again; a local journal sends none.
  const offChanges = window.utvag?.onChange?.((change) => void invalidateForChange(change, client));
  return () => {
    off();
    offChanges?.();
    client.clear();
    if (current === client) current = null;
  };
}

/** Drops every answer of the session at once: the app calls it as it locks or signs out, before the lock screen shows. */
export function dropSessionCache(): void {
  current?.clear();
}

/** One cache per signed-in session: made when the desk mounts (at every unlock), dropped at lock and sign-out. */
export function SessionQueryProvider({ hasUnsavedWork, children }: { hasUnsavedWork?: () => boolean; children: ReactNode }) {
  const [client] = useState(() => createSessionQueryClient(hasUnsavedWork));
  useEffect(() => bindSession(client), [client]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

function isPassive(channel: ChannelName): boolean {
  return (contract[channel] as { passive?: boolean }).passive === true;
}

async function fetchChannel<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await call(channel, input);
  if (!result.ok) throw new ChannelError(result.error);
  return result.value;
}

/** The last answer as the placeholder for the next input, only when it is the same channel on the same side. */
export function keepWithinSide(channel: ChannelName, side: Side | undefined) {
  return <T,>(previous: T | undefined, previousQuery: { queryKey: QueryKey } | undefined): T | undefined =>
    previousQuery && previousQuery.queryKey[0] === channel && sideOfKey(previousQuery.queryKey) === side ? previous : undefined;
}

export interface ChannelQueryOptions<T = unknown> {
  enabled?: boolean;
  /**
   * Keeps the last answer on screen while the next input's answer comes (a week to the next), so
   * nothing flashes. Only ever within one side: never the other side's answer as a placeholder.
   */
  keepPrevious?: boolean;
  /**
   * Asks again every so many milliseconds: passive channels only (status), since any other call
   * counts as a person at the desk and would keep the idle lock from ever locking.
   */
  pollMs?: number | ((data: T | undefined) => number);
}

/** A read of one channel. `input` null: nothing to ask yet. */
export function useChannelQuery<C extends ChannelName>(
  channel: C,
  input: ChannelInput<C> | null,
  options: ChannelQueryOptions<ChannelOutput<C>> = {},
): UseQueryResult<ChannelOutput<C>, ChannelError> {
  const side = input ? sideOfKey([channel, input]) : undefined;
  return useQuery<ChannelOutput<C>, ChannelError, ChannelOutput<C>, QueryKey>({
    queryKey: [channel, input],
    queryFn: () => fetchChannel(channel, input as ChannelInput<C>),
    enabled: input !== null && options.enabled !== false,
    placeholderData: options.keepPrevious ? keepWithinSide(channel, side) : undefined,
    refetchInterval: (query) => {
      const poll = options.pollMs;
      if (!poll || !isPassive(channel)) return false;
      return typeof poll === 'number' ? poll : poll(query.state.data);
    },
  });
}

export interface ChannelMutation<C extends ChannelName> {
  /** Sends the write; its answer comes back as the contract's Result, so the screen shows a refusal where it does today. */
  run(input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  pending: boolean;
}

/** A write of one channel: on success it invalidates what INVALIDATES names for it, and `invalidates` besides. */
export function useChannelMutation<C extends ChannelName>(channel: C, options: { invalidates?: readonly string[] } = {}): ChannelMutation<C> {
  const client = useQueryClient();
  const extra = options.invalidates;
  const mutation = useMutation<Result<ChannelOutput<C>>, ChannelError, ChannelInput<C>>({
    // Keyed by channel, so a screen can tell which of its writes are in flight (useIsMutating).
    mutationKey: [channel],
    mutationFn: (input) => call(channel, input),
    // The write's answer reaches the screen once the reads it changed are fetched again, so what the
    // screen says was saved is also what it shows: a form opened at once starts from the new state.
    onSuccess: (result) => (result.ok ? invalidateChannels([...(INVALIDATES[channel] ?? []), ...(extra ?? [])], client) : undefined),
  });
  const { mutateAsync } = mutation;
  const run = useCallback((input: ChannelInput<C>) => mutateAsync(input), [mutateAsync]);
  return { run, pending: mutation.isPending };
}

/**
 * A read on demand (a search on a button press, slots proposed for a booking): through the cache,
 * keyed and dropped like any other read, answered as the contract's Result. An answer dropped at a
 * side switch or a lock never arrives: the screen that asked shows the other side by then.
 */
export function useChannelRead<C extends ChannelName>(channel: C): (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>> {
  const client = useQueryClient();
  return useCallback(
    async (input: ChannelInput<C>) => {
      try {
        const value = await client.fetchQuery({ queryKey: [channel, input], queryFn: () => fetchChannel(channel, input), staleTime: 0 });
        return { ok: true as const, value };
      } catch (error) {
        if (error instanceof ChannelError) return { ok: false as const, error: error.error };
        if (isCancelledError(error)) return new Promise<never>(() => undefined);
        throw error;
      }
    },
    [client, channel],
  );
}

/** Invalidates the reads a write changed, for a write sent another way (a form that calls the channel itself). */
export function useInvalidate(): (names: readonly string[]) => Promise<void> {
  const client = useQueryClient();
  return useCallback((names: readonly string[]) => invalidateChannels(names, client), [client]);
}
