import type { Readable } from 'node:stream';

/**
 * Calls `onLine` for every line of a text stream (`\n` or `\r\n`), the last unterminated one included at the end.
 * A lighter stand-in for `readline` on ffmpeg's pipes: no interface object, no per-line events, one split per chunk.
 */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    // a runaway line without a newline cannot grow without bound
    if (rest.length > 65_536) rest = rest.slice(-65_536);
  });
  stream.on('end', () => {
    if (rest.length > 0) onLine(rest);
    rest = '';
  });
}
