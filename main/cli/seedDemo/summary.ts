import type { SeedDemoSummary } from './options.js';

/** The summary as the CLI prints it: counts and time, the demo accounts' usernames, never a password. */
export function formatSeedSummary(summary: SeedDemoSummary, dataDir: string): string[] {
  const lines = [
    `Seeded a fictional practice in ${dataDir}: ${summary.from} to ${summary.until.slice(0, 10)} (seed ${summary.seed}) in ${summary.seconds} s`,
    `  ${summary.routerCalls} calls through the router; bookings refused and tried again: ${summary.refusals.separation} by the separation rule (on the perpetrators' side: any refused time, whose cause is not told), ${summary.refusals.other} for other conflicts; given up: ${summary.gaveUp}`,
    '',
    'Rows per table:',
    ...Object.entries(summary.counts).map(([table, n]) => `  ${table.padEnd(20)} ${String(n).padStart(8)}`),
    '',
    `Clients by track:        ${Object.entries(summary.clientsByTrack)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    `Appointments by status:  ${Object.entries(summary.appointmentsByStatus)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    `Intake routing:          ${Object.entries(summary.intakeRouting)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    `Journal entries:         ${Object.entries(summary.journalEntries)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    '',
    `Demo receptionist: ${summary.receptionist.username} (signs in with the same password as the admin).`,
    `Demo therapists (temporary passwords, not shown): ${summary.therapists.map((t) => t.username).join(', ')}`,
  ];
  return lines;
}
