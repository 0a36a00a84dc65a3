/**
 * A server-sent-events reader (the WHATWG event-stream format): lines ending in CRLF, LF or CR;
 * `event:` and `data:` fields; a blank line dispatches; lines starting with ':' are comments (the
 * server's pings). Small enough to read whole, so no library is needed for it.
 */
export interface SseMessage {
  event: string;
  data: string;
}

/** A message larger than this is not one of the protocol's events: it is dropped with its stream's buffer. */
const MAX_BUFFER_CHARS = 64 * 1024;

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private skipLeadingLf = false;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  push(chunk: string): void {
    let text = chunk;
    // A CR that ended the previous chunk may be the first half of a CRLF.
    if (this.skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLeadingLf = false;
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (match[0] === '\r' && this.buffer === '') this.skipLeadingLf = true;
      this.line(line);
    }
    if (this.buffer.length > MAX_BUFFER_CHARS) {
      this.buffer = '';
      this.data = [];
      this.event = '';
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onMessage({ event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    // 'id' and 'retry' are not used by the protocol: each change is read again in full, so none is replayed.
  }
}
