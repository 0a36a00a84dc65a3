/**
 * Packages a test bundle of the app (the crash child, the end-to-end harness) leaves as packages:
 * native modules (loaded with their .node binary), and pg (CommonJS, with an optional native part).
 * The pure-JavaScript ones are bundled in: resolving the hundreds of ESM files of date-fns, zod,
 * kysely and the rest cost each process start about 1.3 s of CPU; the code that runs is the same.
 */
export const UNBUNDLED = ['better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'pg'];
