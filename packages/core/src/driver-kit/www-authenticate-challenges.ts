/**
 * The `WWW-Authenticate` challenges of a response, one string each, from Node's `rawHeaders` list (repeated headers
 * stay separate, which `headers` would join): the input of `answerHttpChallenge`.
 */
export function wwwAuthenticateChallenges(rawHeaders: readonly string[]): string[] {
  const challenges: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === 'www-authenticate') challenges.push(rawHeaders[i + 1] as string);
  }
  return challenges;
}
