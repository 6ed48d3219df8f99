import type { Readable } from 'node:stream';

/** The longest unterminated line kept; a runaway line without a newline cannot grow without bound. */
const MAX_PENDING = 65_536;

/** Feeds text in pieces; calls `onLine` for every complete line (`\n` or `\r\n`). */
export interface LineBuffer {
  push(text: string): void;
  /** Delivers the last unterminated line, if any. */
  end(): void;
}

/** Creates a {@link LineBuffer}: one split per piece, no per-line objects besides the strings. */
export function createLineBuffer(onLine: (line: string) => void): LineBuffer {
  let rest = '';
  return {
    push(piece) {
      const text = rest + piece;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        onLine(text.slice(start, end));
        start = nl + 1;
      }
      rest = text.slice(start);
      if (rest.length > MAX_PENDING) rest = rest.slice(-MAX_PENDING);
    },
    end() {
      if (rest.length > 0) onLine(rest);
      rest = '';
    },
  };
}

/**
 * Calls `onLine` for every line of a text stream, the last unterminated one included at the end.
 * A lighter stand-in for `readline` on ffmpeg's pipes: no interface object, no per-line events.
 */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  const lines = createLineBuffer(onLine);
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => lines.push(chunk));
  stream.on('end', () => lines.end());
}
