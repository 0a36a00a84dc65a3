/** The organisation: sites, entrances, waiting rooms, rooms, municipalities, therapists. */
import { z } from 'zod';
import { Empty, Id, LocalTimeOfDay, Track, channel } from './common.js';

export const OrgView = z.object({
  sites: z.array(z.object({ id: z.string(), name: z.string() })),
  entrances: z.array(z.object({ id: z.string(), siteId: z.string(), name: z.string() })),
  waitingRooms: z.array(z.object({ id: z.string(), siteId: z.string(), entranceId: z.string(), name: z.string(), capacity: z.number() })),
  rooms: z.array(z.object({ id: z.string(), siteId: z.string(), name: z.string(), active: z.boolean(), purpose: z.enum(['individual', 'group']) })),
  trackRoutes: z.array(z.object({ siteId: z.string(), track: Track, entranceId: z.string(), waitingRoomId: z.string() })),
  municipalities: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      region: z.enum(['skaraborg', 'sodra_alvsborg', 'other']),
      /** Takes part in the women's Etapp 2. */
      etapp2: z.boolean(),
      /** Takes part in the children's Etapp 2. */
      etapp2Children: z.boolean(),
    }),
  ),
  therapists: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      siteId: z.string().nullable(),
      tracks: z.array(Track),
      hours: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
    }),
  ),
  separationBufferMinutes: z.number().int(),
});
export type OrgView = z.infer<typeof OrgView>;

export const TherapistHours = z
  .array(z.object({ weekday: z.number().int().min(1).max(7), start: LocalTimeOfDay, end: LocalTimeOfDay }))
  .max(7)
  .superRefine((hours, ctx) => {
    hours.forEach((day, index) => {
      if (day.end <= day.start) ctx.addIssue({ code: 'custom', path: [index, 'end'], message: 'error.hours.order' });
    });
    if (new Set(hours.map((day) => day.weekday)).size !== hours.length) ctx.addIssue({ code: 'custom', path: [], message: 'error.hours.duplicate' });
  });

export const orgChannels = {
  // Reception. Every channel that takes a side answers with that side's data only.
  'org.get': channel({ input: Empty, output: OrgView, access: 'session', clientData: 'none' }),
  'org.saveWaitingRoom': channel({
    input: z
      .object({ id: Id.nullable(), siteId: Id, entranceId: Id, name: z.string().trim().min(1).max(60), capacity: z.number().int().min(1).max(200) })
      .strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.saveRoom': channel({
    input: z
      .object({
        id: Id.nullable(),
        siteId: Id,
        name: z.string().trim().min(1).max(60),
        active: z.boolean(),
        /** Left out, an existing room keeps its purpose and a new one is for individual sessions. */
        purpose: z.enum(['individual', 'group']).optional(),
      })
      .strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.saveEntrance': channel({
    input: z.object({ id: Id.nullable(), siteId: Id, name: z.string().trim().min(1).max(60) }).strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.setTrackRoute': channel({
    input: z.object({ siteId: Id, track: Track, entranceId: Id, waitingRoomId: Id }).strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.setMunicipality': channel({
    input: z
      .object({
        code: z.string().regex(/^(\d{4}|other)$/),
        name: z.string().trim().min(1).max(60),
        region: z.enum(['skaraborg', 'sodra_alvsborg', 'other']),
        etapp2: z.boolean(),
        etapp2Children: z.boolean(),
      })
      .strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.saveTherapist': channel({
    input: z.object({ userId: Id, siteId: Id, tracks: z.array(Track).min(1, { message: 'error.tracks.none' }), hours: TherapistHours }).strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
} as const;
