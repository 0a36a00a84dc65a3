/** Etapp 2 follow-up: the coordinator's list of intakes routed to the municipalities' social secretaries. */
import { z } from 'zod';
import { Id, LocalDate, Side, Track, channel } from './common.js';

export const FOLLOW_UP_STATUSES = ['handed_over', 'contacted', 'offered_group', 'joined', 'declined'] as const;
export const FollowUpStatus = z.enum(FOLLOW_UP_STATUSES);
export type FollowUpStatus = z.infer<typeof FollowUpStatus>;

/** The tracks with an Etapp 2: the women's (victims' track) and the children's. */
export const ETAPP2_TRACKS = ['victim', 'child'] as const;
export const Etapp2Track = z.enum(ETAPP2_TRACKS);
export type Etapp2Track = z.infer<typeof Etapp2Track>;

export const RoutedIntake = z.object({
  intakeId: z.string(),
  clientId: z.string(),
  name: z.string(),
  track: Track,
  /** The local date of the first call. */
  receivedOn: z.string(),
  municipalityCode: z.string().nullable(),
  municipalityName: z.string().nullable(),
  /** Null: routed, not yet handed over. */
  status: FollowUpStatus.nullable(),
  updatedOn: z.string().nullable(),
});
export type RoutedIntake = z.infer<typeof RoutedIntake>;

export const Etapp2Overview = z.object({
  /** Which municipalities take part, per track (the women's and the children's Etapp 2: the municipalities' settings). */
  participation: z.array(z.object({ track: Etapp2Track, municipalities: z.array(z.object({ code: z.string(), name: z.string() })) })),
  intakes: z.array(RoutedIntake),
});
export type Etapp2Overview = z.infer<typeof Etapp2Overview>;

export const etapp2Channels = {
  'etapp2.followUps': channel({
    /** One track's list at a time: each is brought to its own monthly meeting (the women's and the children's coordinator). */
    input: z.object({ side: Side, track: Etapp2Track, from: LocalDate }).strict(),
    output: Etapp2Overview,
    access: ['receptionist'],
    clientData: 'read',
  }),
  'etapp2.setFollowUp': channel({
    input: z.object({ side: Side, intakeId: Id, status: FollowUpStatus }).strict(),
    output: RoutedIntake,
    access: ['receptionist'],
    clientData: 'write',
  }),
} as const;
