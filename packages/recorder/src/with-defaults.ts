/**
 * A factory's resolved options: `defaults` overlaid with the options given, an option set to `undefined` keeping its
 * default (so `{ graceMs: undefined }` is the same as leaving it out). One object per factory, so each default is
 * written once, beside its `@default` in the options' TSDoc.
 */
export function withDefaults<D extends object>(defaults: D, options: { [K in keyof D]?: D[K] | undefined } | undefined): D {
  const resolved = { ...defaults };
  for (const key of Object.keys(options ?? {}) as Array<keyof D>) {
    const value = options![key];
    if (value !== undefined) resolved[key] = value as D[keyof D];
  }
  return resolved;
}
