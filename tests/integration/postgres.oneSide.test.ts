import { describe, expect, it } from 'vitest';
import type { Handler, Handlers } from '../../main/handlers/context.js';
import { createHandlers } from '../../main/router.js';
import { contract, SIDES, type ChannelName, type Side } from '../../preload/contract/index.js';
import { openReception, useEngines, type Engine } from '../helpers/engineApp.js';

/**
 * A list of one side (the contract's `oneSide`) runs on the Utväg server with that side set in its
 * transaction, so PostgreSQL's row policies hide the other side's rows even from code that asks for
 * them: the second line behind the services' own filter (#14). Each such channel is called here
 * through a handler with exactly that bug — it reads every client first, then answers as the real
 * one — and must see only its own side's clients. The local journal has no second line (one desk,
 * one app): there the same bug sees everyone, which shows the peek itself reads what it should.
 * The people are fictional.
 */
const engines = useEngines();

const ONE_SIDE: readonly ChannelName[] = ['clients.search', 'schedule.range', 'schedule.today', 'waitingList.list', 'groups.list'];

const inputOf = (channel: ChannelName, side: Side): unknown =>
  ({
    'clients.search': { side, query: 'Sidos' },
    'schedule.range': { side, siteId: 'skaraborg', from: '2026-12-07', days: 7, therapistId: null, roomId: null },
    'schedule.today': { side, siteId: 'skaraborg', date: '2026-12-07' },
    'waitingList.list': { side },
    'groups.list': { side, siteId: 'skaraborg' },
  })[channel as string];

async function tracksSeen(engine: Engine): Promise<Map<string, string[]>> {
  const t = await openReception(engines, engine);
  await t.newClient('victim', 'Vilma Sidosdotter');
  await t.newClient('child', 'Kim Sidosbarn');
  await t.newClient('perpetrator', 'Pelle Sidosson');
  const real = createHandlers();
  const seen = new Map<string, string[]>();
  const peeking =
    (channel: ChannelName): Handler<ChannelName> =>
    async (input, ctx) => {
      const rows = await ctx.tx.selectFrom('clients').select('track').execute();
      seen.set(`${channel} ${(input as { side: Side }).side}`, [...new Set(rows.map((row) => row.track))].sort());
      return (real[channel] as Handler<ChannelName>)(input, ctx);
    };
  const handlers = { ...real, ...Object.fromEntries(ONE_SIDE.map((channel) => [channel, peeking(channel)])) } as Handlers;
  for (const side of SIDES) {
    for (const channel of ONE_SIDE) {
      const answer = await t.callWith(handlers, channel, inputOf(channel, side));
      expect(answer, `${channel} ${side}`).toMatchObject({ ok: true });
    }
  }
  await t.close();
  return seen;
}

describe('one side per list', () => {
  it('marks exactly the reviewed lists as one side, each naming its side in its input', () => {
    const marked = (Object.keys(contract) as ChannelName[]).filter((channel) => contract[channel].oneSide);
    expect(marked.sort()).toEqual([...ONE_SIDE].sort());
    for (const channel of marked) expect(contract[channel].input.safeParse(inputOf(channel, 'victims')).success, channel).toBe(true);
  });

  it('on the server, a list of one side sees only that side in the database, even when its code asks for every client', async () => {
    const seen = await tracksSeen('postgres');
    for (const channel of ONE_SIDE) {
      expect(seen.get(`${channel} victims`), channel).toEqual(['child', 'victim']);
      expect(seen.get(`${channel} perpetrators`), channel).toEqual(['perpetrator']);
    }
  });

  it('on the local journal the same bug would see both sides (no second line there): the peek reads what it should', async () => {
    const seen = await tracksSeen('sqlite');
    for (const channel of ONE_SIDE) expect(seen.get(`${channel} perpetrators`), channel).toEqual(['child', 'perpetrator', 'victim']);
  });
});
