import { describe, expect, it } from 'vitest';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

describe('group membership', () => {
  it('a client who leaves a group and comes back keeps both periods; adding a current member changes nothing', async () => {
    const t = await setUpReception(tempDir());
    const client = await t.newClient('victim', 'Greta Gruppsdotter');
    const group = await t.ok<{ id: string }>('groups.create', {
      side: 'victims',
      siteId: 'skaraborg',
      track: 'victim',
      name: 'Torsdagsgruppen',
      therapistId: t.therapists.victims,
      roomId: 'skaraborg-g1',
      firstDate: '2031-03-06',
      start: '13:00',
      durationMinutes: 90,
      sessions: 3,
    });
    const member = { side: 'victims', groupId: group.id, clientId: client };
    const periods = () =>
      t.app.db
        .prepare(
          'SELECT joined_at AS joinedAt, left_at AS leftAt FROM group_members WHERE group_id = ? AND client_id = ? ORDER BY joined_at, left_at IS NULL',
        )
        .all(group.id, client) as { joinedAt: string; leftAt: string | null }[];

    await t.ok('groups.addMember', member);
    await t.ok('groups.addMember', member);
    expect(periods()).toHaveLength(1);
    await t.ok('groups.removeMember', member);
    await t.ok('groups.addMember', member);
    const [first, second] = periods();
    expect(periods()).toHaveLength(2);
    expect(first!.leftAt).not.toBeNull();
    expect(second!.leftAt).toBeNull();
    expect(second!.joinedAt >= first!.leftAt!).toBe(true);
  });
});
