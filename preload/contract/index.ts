/**
 * The IPC contract: every channel the renderer may call, with its input schema, output schema,
 * who may call it and whether it touches client data. The main process validates and authorises
 * with these; the renderer's forms validate with the same schemas; the types are inferred from them.
 * Each domain keeps its schemas and channels in its own file; this merges them into one contract.
 */
import type { z } from 'zod';
import { auditChannels } from './audit.js';
import { authChannels } from './auth.js';
import { backupChannels } from './backup.js';
import { clientChannels } from './clients.js';
import { contactChannels } from './contacts.js';
import { etapp2Channels } from './etapp2.js';
import { journalChannels } from './journal.js';
import { orgChannels } from './org.js';
import { scheduleChannels } from './schedule.js';
import { statsChannels } from './stats.js';

export * from './audit.js';
export * from './auth.js';
export * from './backup.js';
export * from './clients.js';
export * from './common.js';
export * from './contacts.js';
export * from './etapp2.js';
export * from './journal.js';
export * from './org.js';
export * from './schedule.js';
export * from './stats.js';

export const contract = {
  ...authChannels,
  ...orgChannels,
  ...clientChannels,
  ...scheduleChannels,
  ...contactChannels,
  ...journalChannels,
  ...auditChannels,
  ...backupChannels,
  ...statsChannels,
  ...etapp2Channels,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;
