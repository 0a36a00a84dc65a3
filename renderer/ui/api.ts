import type { ChannelInput, ChannelName, ChannelOutput, Result, UtvagBridge } from '../../preload/contract/index';

declare global {
  interface Window {
    utvag?: UtvagBridge;
  }
}

type Listener = () => void;
const sessionListeners = new Set<Listener>();

/** Called when any answer says the session is gone (locked or signed out), so the app shows the lock screen at once. */
export function onSessionLost(listener: Listener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

/** Tells the app that this screen ended the session itself (a sign-out after a restore), so the login screen shows at once. */
export function announceSessionLost(): void {
  for (const listener of sessionListeners) listener();
}

const changeListeners = new Set<Listener>();

/** Called when the signed-in person's own account changed (an admin changed her own roles): the app reads its status again. */
export function onSessionChanged(listener: Listener): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Tells the app that the signed-in person's own roles changed, so that the menu follows at once rather than at the next poll. */
export function announceSessionChanged(): void {
  for (const listener of changeListeners) listener();
}

type ReachListener = (unreachable: boolean) => void;
const reachListeners = new Set<ReachListener>();
let unreachable = false;

/**
 * Server mode: whether the last answer said the Utväg server could not be reached. Any answer the
 * server gave (a refusal too) means it is back. The app shows a calm banner while it is away.
 */
export function onReachability(listener: ReachListener): () => void {
  reachListeners.add(listener);
  listener(unreachable);
  return () => reachListeners.delete(listener);
}

function setUnreachable(next: boolean): void {
  if (next === unreachable) return;
  unreachable = next;
  for (const listener of reachListeners) listener(next);
}

/** The renderer's only way to the journal: a contract channel through the preload bridge. */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  const bridge = window.utvag;
  if (!bridge) return { ok: false, error: { code: 'INTERNAL', message: 'error.connection' } };
  const result = (await bridge.invoke(channel, input)) as Result<ChannelOutput<C>>;
  // The workstation's own preferences never reach the server: they say nothing of it.
  if (!channel.startsWith('workstation.')) setUnreachable(!result.ok && result.error.code === 'UNREACHABLE');
  // JOURNAL_MISSING too: the app then asks for its status at once and shows the missing-journal screen.
  if (!result.ok && (result.error.code === 'LOCKED' || result.error.code === 'NOT_SIGNED_IN' || result.error.code === 'JOURNAL_MISSING')) {
    for (const listener of sessionListeners) listener();
  }
  return result;
}
