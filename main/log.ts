/**
 * Troubleshooting log. It takes an event name and a small set of fields whose names are fixed
 * here, so that no caller can put a name, a personnummer, a password or a key into it by accident.
 */
const ALLOWED_FIELDS = ['channel', 'code', 'ms', 'count', 'from', 'to', 'reason', 'port', 'errorName'] as const;
type Field = (typeof ALLOWED_FIELDS)[number];
export type LogFields = Partial<Record<Field, string | number>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

function write(level: string, event: string, fields: LogFields = {}, sink: (line: string) => void): void {
  const safe: Record<string, string | number> = {};
  for (const key of ALLOWED_FIELDS) {
    const value = fields[key];
    // Strings are limited to short identifiers (channel names, error codes): anything else is dropped.
    if (typeof value === 'number' || (typeof value === 'string' && /^[\w.:-]{1,64}$/.test(value))) safe[key] = value;
  }
  sink(JSON.stringify({ at: new Date().toISOString(), level, event, ...safe }));
}

export function createLogger(sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  return {
    info: (event, fields) => write('info', event, fields, sink),
    warn: (event, fields) => write('warn', event, fields, sink),
    error: (event, fields) => write('error', event, fields, sink),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
