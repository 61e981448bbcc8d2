/** A listener's certificate chain and private key, PEM text (read and checked by the caller). */
export interface TlsCredentials {
  readonly cert: string;
  readonly key: string;
}
