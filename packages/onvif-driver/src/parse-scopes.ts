/** Name, location and hardware read from ONVIF scope URIs (`onvif://www.onvif.org/name/...`). */
export interface ScopeFacts {
  name?: string;
  location?: string;
  hardware?: string;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
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
