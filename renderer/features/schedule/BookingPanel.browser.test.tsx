import { describe, expect, it, onTestFinished } from 'vitest';
import { userEvent, type Locator } from 'vitest/browser';
import { useEffect } from 'react';
import type { AppointmentView, Side } from '../../../preload/contract/index';
import { errorNextTo, fictionalName, newPerpetrator, newVictim, ok, renderAtDesk, segmentedValue } from '../../testing/desk';
import { useDesk } from '../../ui/desk';
import { BookingPanel } from './BookingPanel';

/** The panel as the schedule opens it: once the desk knows its site, and anew for another side or site. */
function AtSchedule({ side: wanted, onBooked }: { side: Side; onBooked: (appointment: AppointmentView) => void }) {
  const { side, setSide, siteId, org } = useDesk();
  useEffect(() => setSide(wanted), [setSide, wanted]);
  return org && side === wanted ? <BookingPanel key={`${side}-${siteId}`} date="2031-03-03" onBooked={onBooked} onClose={() => undefined} /> : null;
}

/** A new client of the victims' side, and the booking panel at the desk opened on a Monday in 2031 with her chosen. */
async function openPanelFor(first: string, side: Side = 'victims') {
  const name = fictionalName(first);
  const clientId = side === 'victims' ? await newVictim(name) : await newPerpetrator(name);
  const booked: AppointmentView[] = [];
  const { screen } = await renderAtDesk(<AtSchedule side={side} onBooked={(appointment) => booked.push(appointment)} />, { hash: '#/schedule' });
  const org = await ok('org.get', {});
  const rooms = org.rooms.filter((room) => room.siteId === 'skaraborg' && room.active);
  const track = side === 'victims' ? 'victim' : 'perpetrator';
  const therapist = org.therapists.find((candidate) => candidate.siteId === 'skaraborg' && candidate.tracks.includes(track))!;
  // The client is chosen from the search, as at the desk: typed, then arrows and Enter.
  await screen.getByLabelText('Sök klient').fill(name);
  await expect.poll(() => document.querySelectorAll('[role="option"]').length).toBe(1);
  await userEvent.keyboard('{ArrowDown}{Enter}');
  await expect.element(screen.getByTestId('chosen-client')).toBeVisible();
  // The only therapist of the side at the site is chosen for her.
  await expect.element(screen.getByLabelText('Behandlare', { exact: true })).toHaveValue(therapist.id);
  return {
    screen,
    clientId,
    booked,
    rooms,
    therapist,
    date: screen.getByRole('group', { name: 'Datum' }),
    start: screen.getByRole('group', { name: 'Starttid' }),
    room: screen.getByLabelText('Rum', { exact: true }),
    save: screen.getByRole('button', { name: 'Boka', exact: true }),
  };
}

/** Types a whole value into a segmented field from its first segment, key by key. */
async function typeInto(group: Locator, text: string) {
  await group.getByRole('spinbutton').first().click();
  await userEvent.keyboard(text);
}

describe('the booking panel', () => {
  it('fills in the date and time of a proposed slot chosen from the list', async () => {
    const { screen, date, start, room } = await openPanelFor('Ebba');
    await screen.getByRole('button', { name: 'Föreslå tider' }).click();
    const proposals = screen.getByRole('listbox', { name: 'Föreslagna tider' }).getByRole('option');
    await expect.element(proposals.nth(1)).toBeVisible();
    const [, day, from] = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/.exec(proposals.nth(1).element().textContent ?? '') ?? [];
    expect(day).toMatch(/^2031-/);
    await proposals.nth(1).click();
    await expect.poll(() => segmentedValue(date.element())).toBe(day);
    await expect.poll(() => segmentedValue(start.element())).toBe(from);
    // The segments show it, a room came with it, and the keyboard waits on "Boka".
    expect(
      date
        .getByRole('spinbutton')
        .elements()
        .map((segment) => segment.textContent),
    ).toEqual(day!.split('-'));
    await expect.element(room).not.toHaveValue('');
    await expect.element(screen.getByText(new RegExp(`^Vald tid: .*${day} ${from}`)).first()).toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Boka', exact: true })).toHaveFocus();
  });

  it('books a date and time typed as 2031-03-04 and 09:30', async () => {
    const { screen, booked, clientId, date, start, room, rooms, save } = await openPanelFor('Frida');
    await room.selectOptions(rooms[0]!.id);
    await typeInto(date, '2031-03-04');
    await typeInto(start, '09:30');
    await expect.poll(() => segmentedValue(date.element())).toBe('2031-03-04');
    await expect.poll(() => segmentedValue(start.element())).toBe('09:30');
    await save.click();
    await expect.element(screen.getByText(/^Bokat: .*2031-03-04 09:30–10:30\.$/)).toBeVisible();
    expect(booked.map((appointment) => [appointment.clientId, appointment.localDate, appointment.localStart])).toEqual([
      [clientId, '2031-03-04', '09:30'],
    ]);
  });

  it('shows a clash the main process refuses next to the field, and keeps every choice', async () => {
    const { screen, booked, date, start, room, rooms, therapist, save } = await openPanelFor('Gun');
    // Another client already has the therapist at that time, in another room.
    const other = await newVictim(fictionalName('Hedvig'));
    await ok('appointments.book', {
      side: 'victims',
      siteId: 'skaraborg',
      clientId: other,
      groupId: null,
      kind: 'individual',
      therapistId: therapist.id,
      roomId: rooms[1]!.id,
      date: '2031-03-06',
      start: '10:00',
      durationMinutes: 60,
      note: '',
    });
    await room.selectOptions(rooms[0]!.id);
    await typeInto(date, '2031-03-06');
    await typeInto(start, '10:00');
    const note = screen.getByLabelText('Anteckning till bokningen (valfri)');
    await note.fill('Tolk på plats');
    await save.click();

    const therapistField = screen.getByLabelText('Behandlare', { exact: true });
    await expect.poll(() => errorNextTo(therapistField.element())).toBe('Behandlaren är upptagen då.');
    expect(booked).toEqual([]);
    // Everything chosen stays, to change only what clashed.
    await expect.element(screen.getByTestId('chosen-client')).toBeVisible();
    await expect.element(therapistField).toHaveValue(therapist.id);
    await expect.element(room).toHaveValue(rooms[0]!.id);
    await expect.element(note).toHaveValue('Tolk på plats');
    expect(segmentedValue(date.element())).toBe('2031-03-06');
    expect(segmentedValue(start.element())).toBe('10:00');

    // An hour later goes through, from the same form.
    await typeInto(start, '11:00');
    await save.click();
    await expect.element(screen.getByText(/^Bokat: .*2031-03-06 11:00–12:00\.$/)).toBeVisible();
    expect(booked.map((appointment) => appointment.note)).toEqual(['Tolk på plats']);
  });

  it("on the perpetrators' side says one neutral thing next to the start time, whether a linked person or a busy therapist refused it", async () => {
    const { screen, clientId, booked, start, date, room, rooms, therapist, save } = await openPanelFor('Ludvig', 'perpetrators');
    const org = await ok('org.get', {});
    const victimsTherapist = org.therapists.find((candidate) => candidate.siteId === 'skaraborg' && candidate.tracks.includes('victim'))!;
    const book = (client: string, side: Side, therapistId: string, day: string, at: string) =>
      ok('appointments.book', {
        side,
        siteId: 'skaraborg',
        clientId: client,
        groupId: null,
        kind: 'individual',
        therapistId,
        roomId: rooms[1]!.id,
        date: day,
        start: at,
        durationMinutes: 60,
        note: '',
      });
    // A victim linked to him has a time on Friday morning; another of his side's clients has his therapist on Monday.
    const victim = await newVictim(fictionalName('Maja'));
    await book(victim, 'victims', victimsTherapist.id, '2031-03-07', '10:00');
    await ok('clients.link', { side: 'victims', clientId: victim, otherClientId: clientId, kind: 'former_partner' });
    await book(await newPerpetrator(fictionalName('Nils')), 'perpetrators', therapist.id, '2031-03-10', '10:00');

    // The answers to the panel's bookings, as they pass the bridge (looked at, not changed).
    const bridge = window.utvag!;
    const answers: unknown[] = [];
    window.utvag = {
      invoke: async (channel, input) => {
        const answer = await bridge.invoke(channel, input);
        if (channel === 'appointments.book') answers.push(answer);
        return answer;
      },
    };
    onTestFinished(() => {
      window.utvag = bridge;
    });
    /** Every error the panel shows, as text. */
    const shownErrors = () =>
      [...document.querySelectorAll('.field__error, .form-error')].map((element) => element.textContent ?? '').filter(Boolean);
    const refusedAt = async (day: string, at: string) => {
      const before = answers.length;
      await room.selectOptions(rooms[0]!.id);
      await typeInto(date, day);
      await typeInto(start, at);
      await save.click();
      await expect.poll(() => answers.length).toBe(before + 1);
      await expect.element(save).toBeEnabled();
      expect(errorNextTo(start.element())).toBe('Tiden är inte tillgänglig. Välj en annan tid.');
      return shownErrors();
    };
    const byLink = await refusedAt('2031-03-07', '11:00');
    const byTherapist = await refusedAt('2031-03-10', '10:00');
    // Nothing tells the two apart: the same words, in the same place, and nothing else.
    expect(byLink).toEqual(['Tiden är inte tillgänglig. Välj en annan tid.']);
    expect(byTherapist).toEqual(byLink);
    expect(errorNextTo(screen.getByLabelText('Behandlare', { exact: true }).element())).toBe('');
    expect(booked).toEqual([]);
    // What main answered is the same too, but for nothing.
    expect(answers).toHaveLength(2);
    expect(answers[1]).toEqual(answers[0]);
  });
});
