/** Name, location and hardware read from ONVIF scope URIs (`onvif://www.onvif.org/name/...`). */
export interface ScopeFacts {
  name?: string;
  location?: string;
  hardware?: string;
}

/** Percent-decodes scope text (`+` is a space); malformed escapes and bytes decode to U+FFFD instead of throwing. */
function decode(text: string): string {
  const bytes: number[] = [];
  const plain = text.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i++) {
    const escape = /^%([0-9A-Fa-f]{2})/.exec(plain.slice(i, i + 3));
    if (escape) {
      bytes.push(parseInt(escape[1]!, 16));
      i += 2;
    } else {
      const char = String.fromCodePoint(plain.codePointAt(i)!);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Reads `name`, `location` and `hardware` from the scope list (the first of each wins). */
export function parseScopes(scopes: readonly string[]): ScopeFacts {
  const facts: ScopeFacts = {};
  for (const scope of scopes) {
    const match = /^onvif:\/\/www\.onvif\.org\/(name|location|hardware)\/(.+)$/i.exec(scope.trim());
    if (!match) continue;
    const key = match[1]!.toLowerCase() as keyof ScopeFacts;
    if (facts[key] === undefined) facts[key] = decode(match[2]!);
  }
  return facts;
}
