/** File names inside an evidence package folder (and its `.zip`). */
export const EVIDENCE_PACKAGE_FILES = {
  /** The master clip: a stream copy of the recorded segments, never re-encoded. */
  clip: 'clip.mp4',
  /** The signed manifest: canonical JSON, the exact bytes that are signed. */
  manifest: 'manifest.json',
  /** The base64 Ed25519 signature over the bytes of `manifest.json`. */
  signature: 'manifest.sig',
  /** The station public key (SPKI PEM) that made the signature. */
  publicKey: 'station-public-key.pem',
  /** `sha256sum`-compatible list of every other file in the package. */
  sums: 'SHA256SUMS',
  /** Folder of optional still images. */
  stillsDir: 'stills',
} as const;
