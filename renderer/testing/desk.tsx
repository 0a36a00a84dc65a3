/**
 * Component tests' part of the app shell: a screen or form rendered alone at the desk of the person
 * signed in to the component tests' journal, with the same providers the app gives it (App.tsx).
 */
import type { ReactNode } from 'react';
import { render } from 'vitest-browser-react';
import type { ChannelInput, ChannelName, ChannelOutput, SessionUser } from '../../preload/contract/index';
import { call } from '../ui/api';
import { DeskProvider } from '../ui/desk';
import { SessionMemory } from '../ui/sessionMemory';
import { intakeInput } from '../../tests/fixtures/intake';

// The fixtures' fictional personnummer, for the component tests too.
export { personnummer } from '../../tests/fixtures/people';

/** A channel called as the renderer calls it; a refusal fails the test (for setting the scene only). */
export async function ok<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await call(channel, input);
  if (!result.ok) throw new Error(`${channel} refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Who is signed in to the component tests' journal (an admin who is also a receptionist). */
export async function signedInUser(): Promise<SessionUser> {
  const status = await ok('app.status', {});
  if (!status.user) throw new Error('nobody is signed in to the component tests’ journal');
  return status.user;
}

/** Renders `ui` inside the desk (side, site, premises, unsaved-work registry, query cache) at the location `hash`. */
export async function renderAtDesk(ui: ReactNode, { hash = '#/' }: { hash?: string } = {}) {
  window.location.hash = hash;
  const user = await signedInUser();
  const memory = new SessionMemory();
  const screen = await render(
    <DeskProvider user={user} memory={memory}>
      <main id="main">{ui}</main>
    </DeskProvider>,
  );
  return { screen, user, memory };
}

let serial = 0;
/** A name no other test has used in this journal: obviously fictional, unique per run. */
export function fictionalName(first: string): string {
  serial += 1;
  return `${first} Provsdotter ${Date.now().toString(36)}${serial}`;
}

/** The error said next to a field: the texts its aria-describedby points to that are errors, '' if none. */
export function errorNextTo(field: Element): string {
  const ids = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids
    .map((id) => document.getElementById(id))
    .filter((element) => element?.classList.contains('field__error'))
    .map((element) => element!.textContent ?? '')
    .join(' ');
}

/** The value a segmented date or time field holds as the form sees it ('' while nothing whole is typed). */
export function segmentedValue(group: Element): string | null {
  return group.closest('[data-value]')?.getAttribute('data-value') ?? null;
}

/** A minimal first call of an obviously fictional person on the victims' side; returns the new client's id. */
export async function newVictim(name: string, extra: Partial<ChannelInput<'intake.register'>> = {}): Promise<string> {
  const registered = await ok('intake.register', intakeInput('victim', name, extra) as ChannelInput<'intake.register'>);
  return registered.clientId;
}

/** A minimal first call of an obviously fictional man on the perpetrators' side; returns the new client's id. */
export function newPerpetrator(name: string, extra: Partial<ChannelInput<'intake.register'>> = {}): Promise<string> {
  return newVictim(name, { side: 'perpetrators', track: 'perpetrator', gender: 'male', ...extra });
}
