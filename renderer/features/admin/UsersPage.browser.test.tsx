import { describe, expect, it } from 'vitest';
import type { Role } from '../../../preload/contract/index';
import { fictionalName, newVictim, ok, renderAtDesk, signedInUser } from '../../testing/desk';
import { UsersPage } from './UsersPage';

let serial = 0;
/** A new user of the journal, with a username no other test has taken. */
async function newUser(first: string, roles: Role[]) {
  serial += 1;
  const name = fictionalName(first);
  const created = await ok('users.create', { displayName: name, username: `rolltest.${Date.now().toString(36)}${serial}`, roles });
  return { id: created.user.id, name };
}

/** The Users page, and the roles dialog opened from one person's row as the admin opens it. */
async function openRolesOf(name: string) {
  const { screen } = await renderAtDesk(<UsersPage />, { hash: '#/admin/users' });
  const row = screen.getByRole('row').filter({ hasText: name });
  await row.getByRole('button', { name: 'Ändra roller' }).click();
  const dialog = screen.getByRole('dialog', { name: `Ändra roller för ${name}` });
  await expect.element(dialog).toBeVisible();
  const box = (label: string) => dialog.getByRole('checkbox', { name: label, exact: true });
  const roles = dialog.getByRole('group', { name: 'Roller' });
  return { screen, row, dialog, box, roles, save: dialog.getByRole('button', { name: 'Spara roller' }) };
}

/** The error said next to the role boxes ('' if none). */
function errorNextToRoles(group: Element): string {
  const ids = (group.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids
    .map((id) => document.getElementById(id))
    .filter((element) => element?.classList.contains('field__error'))
    .map((element) => element!.textContent ?? '')
    .join(' ');
}

describe('changing an existing user’s roles', () => {
  it('opens with her roles ticked, says an empty choice next to the boxes, and saves a new one to the list', async () => {
    const { id, name } = await newUser('Rut', ['receptionist']);
    const { screen, row, dialog, box, roles, save } = await openRolesOf(name);
    await expect.element(box('Receptionist')).toBeChecked();
    await expect.element(box('Behandlare')).not.toBeChecked();
    await expect.element(box('Administratör')).not.toBeChecked();
    await expect.element(box('Receptionist')).toHaveFocus();

    await box('Receptionist').click();
    await save.click();
    await expect.poll(() => errorNextToRoles(roles.element())).toBe('Välj minst en roll.');
    expect((await ok('users.list', {})).find((user) => user.id === id)?.roles).toEqual(['receptionist']);

    // A new therapist is told what she needs before she can be booked.
    await box('Behandlare').click();
    await expect.poll(() => dialog.getByTestId('roles-therapist-added').element().textContent).toContain('Lokaler och personal');
    await save.click();
    await expect.element(dialog).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('roles-saved')).toHaveTextContent(`Rollerna för ${name} är ändrade: Behandlare.`);
    await expect.poll(() => row.element().textContent).toContain('Behandlare');
    expect((await ok('users.list', {})).find((user) => user.id === id)?.roles).toEqual(['therapist']);
    // Leave the journal as the other tests expect it: no therapist without a profile among them.
    await ok('users.setRoles', { userId: id, roles: ['receptionist'] });
  });

  it('refuses to take the therapist role while she has a time to keep, counting it next to the boxes, and keeps what was ticked', async () => {
    const { id, name } = await newUser('Tyra', ['therapist']);
    // At the other unit, so that the other tests' one therapist per side at Skaraborg stays the only one.
    await ok('org.saveTherapist', {
      userId: id,
      siteId: 'sodra-alvsborg',
      tracks: ['victim'],
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
    });
    const clientName = fictionalName('Klara');
    const clientId = await newVictim(clientName);
    const booked = await ok('appointments.book', {
      side: 'victims',
      clientId,
      groupId: null,
      kind: 'individual',
      siteId: 'sodra-alvsborg',
      therapistId: id,
      roomId: 'sodra-alvsborg-r1',
      date: '2031-03-04',
      start: '10:00',
      durationMinutes: 60,
      note: '',
    });

    const { dialog, box, roles, save } = await openRolesOf(name);
    await box('Behandlare').click();
    await expect.poll(() => dialog.getByTestId('roles-therapist-removed').element().textContent).toContain('vårdteamet');
    await box('Receptionist').click();
    await save.click();
    await expect
      .poll(() => errorNextToRoles(roles.element()))
      .toBe(
        'Rollen behandlare kan inte tas bort ännu: hen har tider kvar att hålla (enskilda tider: 1, gruppträffar: 0). Flytta dem till en annan behandlare eller avboka dem under Schema och Grupper först.',
      );
    // The refusal names no client, and what was ticked stays ticked.
    expect(dialog.element().textContent).not.toContain(clientName);
    await expect.element(box('Receptionist')).toBeChecked();
    await expect.element(box('Behandlare')).not.toBeChecked();
    await expect.element(box('Receptionist')).toHaveFocus();
    expect((await ok('users.list', {})).find((user) => user.id === id)?.roles).toEqual(['therapist']);

    // Once the time is cancelled, the same choice is saved.
    await ok('appointments.cancel', { side: 'victims', appointmentId: booked.appointment.id, reason: 'Flyttad till en annan behandlare' });
    await save.click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect((await ok('users.list', {})).find((user) => user.id === id)?.roles).toEqual(['receptionist']);
  });

  it('does not offer an admin her own admin box, and says why', async () => {
    const me = await signedInUser();
    const { dialog, box } = await openRolesOf(me.displayName);
    await expect.element(box('Administratör')).toBeChecked();
    await expect.element(box('Administratör')).toBeDisabled();
    await expect.element(box('Administratör')).toHaveAccessibleDescription('Din egen administratörsroll kan bara en annan administratör ta bort.');
    await expect.element(box('Receptionist')).toBeEnabled();
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect((await signedInUser()).roles).toEqual(me.roles);
  });
});
