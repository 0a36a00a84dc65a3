/**
 * The IPC contract: every channel the renderer may call, with its input schema, output schema,
 * who may call it and whether it touches client data. The main process validates and authorises
 * with these; the renderer's forms validate with the same schemas; the types are inferred from them.
 */
import { z } from 'zod';

export const ROLES = ['receptionist', 'therapist', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const LANGUAGES = ['sv', 'en'] as const;

// ---- Shared field schemas -------------------------------------------------------------

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[\p{L}\p{N}._-]+$/u, { message: 'error.username.characters' });

export const DisplayName = z.string().trim().min(2).max(80);

/** Passwords guard the whole journal: long enough to resist guessing even with Argon2id slowing each try. */
export const NewPassword = z
  .string()
  .min(12, { message: 'error.password.tooShort' })
  .max(256)
  .refine((value) => new Set(value).size >= 5, { message: 'error.password.tooSimple' });

export const Password = z.string().min(1).max(256);

export const RecoveryCode = z.string().trim().min(20).max(64);

export const IdleLockMinutes = z.number().int().min(1).max(240);

// ---- Views returned to the renderer ------------------------------------------------------

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const AppStatus = z.object({
  /** 'setup' before the first admin exists, 'locked' when no one is signed in, 'unlocked' otherwise. */
  state: z.enum(['setup', 'locked', 'unlocked']),
  user: SessionUser.nullable(),
  /** Who locked the screen, so the lock screen can offer their name; null after a sign-out. */
  lockedBy: z.object({ username: z.string(), displayName: z.string() }).nullable(),
  idleLockMinutes: z.number().int().nullable(),
});
export type AppStatus = z.infer<typeof AppStatus>;

export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const WorkstationPreferences = z.object({
  language: z.enum(LANGUAGES),
});
export type WorkstationPreferences = z.infer<typeof WorkstationPreferences>;

export const Settings = z.object({
  idleLockMinutes: IdleLockMinutes,
});
export type Settings = z.infer<typeof Settings>;

// ---- Inputs ------------------------------------------------------------------------------

const Empty = z.object({}).strict();

export const SetupInput = z
  .object({
    displayName: DisplayName,
    username: Username,
    password: NewPassword,
    passwordRepeat: z.string(),
  })
  .strict()
  .refine((value) => value.password === value.passwordRepeat, { message: 'error.password.mismatch', path: ['passwordRepeat'] });

export const LoginInput = z.object({ username: Username, password: Password }).strict();

export const ChangePasswordInput = z
  .object({
    currentPassword: Password,
    newPassword: NewPassword,
    newPasswordRepeat: z.string(),
  })
  .strict()
  .refine((value) => value.newPassword === value.newPasswordRepeat, { message: 'error.password.mismatch', path: ['newPasswordRepeat'] })
  .refine((value) => value.newPassword !== value.currentPassword, { message: 'error.password.unchanged', path: ['newPassword'] });

export const CreateUserInput = z
  .object({
    displayName: DisplayName,
    username: Username,
    roles: z.array(Role).min(1, { message: 'error.roles.none' }).max(3),
  })
  .strict();

// ---- The channels ------------------------------------------------------------------------

/** 'public': no session needed; 'session': any signed-in user; a role list: any one of them. */
export type Access = 'public' | 'session' | readonly Role[];

/** Whether the channel reads or writes client data, and so must write the access log. */
export type ClientData = 'none' | 'read' | 'write';

interface ChannelSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  access: Access;
  clientData: ClientData;
  /** Channels that do not count as a person using the app (status polling) and so do not postpone the idle lock. */
  passive?: boolean;
}

function channel<I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> {
  return spec;
}

export const contract = {
  'app.status': channel({ input: Empty, output: AppStatus, access: 'public', clientData: 'none', passive: true }),
  'workstation.get': channel({ input: Empty, output: WorkstationPreferences, access: 'public', clientData: 'none', passive: true }),
  'workstation.update': channel({
    input: WorkstationPreferences.partial().strict(),
    output: WorkstationPreferences,
    access: 'public',
    clientData: 'none',
    passive: true,
  }),
  'auth.setup': channel({
    input: SetupInput,
    output: z.object({ recoveryCode: z.string(), user: SessionUser }),
    access: 'public',
    clientData: 'none',
  }),
  'auth.login': channel({ input: LoginInput, output: SessionUser, access: 'public', clientData: 'none' }),
  'auth.lock': channel({ input: Empty, output: z.object({ locked: z.literal(true) }), access: 'session', clientData: 'none' }),
  'auth.logout': channel({ input: Empty, output: z.object({ locked: z.literal(true) }), access: 'session', clientData: 'none' }),
  'auth.changePassword': channel({ input: ChangePasswordInput, output: SessionUser, access: 'session', clientData: 'none' }),
  'session.activity': channel({ input: Empty, output: z.object({ idleLockMinutes: z.number().int() }), access: 'session', clientData: 'none' }),
  'settings.get': channel({ input: Empty, output: Settings, access: ['admin'], clientData: 'none' }),
  'settings.update': channel({ input: Settings.partial().strict(), output: Settings, access: ['admin'], clientData: 'none' }),
  'users.list': channel({ input: Empty, output: z.array(UserSummary), access: ['admin'], clientData: 'none' }),
  'users.create': channel({
    input: CreateUserInput,
    output: z.object({ user: UserSummary, temporaryPassword: z.string() }),
    access: ['admin'],
    clientData: 'none',
  }),
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

// ---- The result envelope -------------------------------------------------------------------

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'NOT_SIGNED_IN',
  'LOCKED',
  'FORBIDDEN',
  'WRONG_CREDENTIALS',
  'TOO_MANY_ATTEMPTS',
  'ALREADY_SET_UP',
  'PASSWORD_CHANGE_REQUIRED',
  'CONFLICT',
  'NOT_FOUND',
  'STORAGE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  /** A message key (translated by the renderer) or a plain English sentence for logs and the CLI. */
  message: string;
  /** Field-level messages keyed by the input field's path ('password', 'roles.0'). */
  fields?: Record<string, string>;
  /** Seconds to wait before the next attempt (TOO_MANY_ATTEMPTS). */
  retryAfterSeconds?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** What the preload exposes on window.utvag (and the browser harness imitates). */
export interface UtvagBridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Electron only: called as soon as the journal locks (idle, sleep, OS lock); returns an unsubscribe. */
  onLocked?(callback: (reason: string) => void): () => void;
}
