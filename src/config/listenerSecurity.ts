/**
 * The auth and TLS settings → each listener's credentials and certificate, with the secret and PEM
 * files read now, at start. A setting given twice over (a value and its file, bearer and basic on
 * one listener), half a pair, or a file that is missing, empty or not PEM is a ConfigError naming
 * the settings; secrets never appear in the message.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { ListenerAuth } from '../net/auth/listenerAuth.ts';
import type { TlsCredentials } from '../net/tls/tlsCredentials.ts';
import { ConfigError } from './configError.ts';
import { SETTINGS, type ConfigValues, type SettingName } from './schema.ts';

export interface ListenerSecurity {
  readonly auth: { readonly metrics: ListenerAuth | undefined; readonly otlp: ListenerAuth | undefined };
  readonly tls: { readonly metrics: TlsCredentials | undefined; readonly otlpHttp: TlsCredentials | undefined; readonly otlpGrpc: TlsCredentials | undefined };
}

type ReadFile = (path: string) => string;

export function resolveListenerSecurity(values: ConfigValues, readFile: ReadFile): ListenerSecurity {
  return {
    auth: { metrics: resolveAuth(values, 'metrics', readFile), otlp: resolveAuth(values, 'otlp', readFile) },
    tls: {
      metrics: resolveTls(values, 'metricsTlsCertFile', 'metricsTlsKeyFile', readFile),
      otlpHttp: resolveTls(values, 'otlpHttpTlsCertFile', 'otlpHttpTlsKeyFile', readFile),
      otlpGrpc: resolveTls(values, 'otlpGrpcTlsCertFile', 'otlpGrpcTlsKeyFile', readFile),
    },
  };
}

function key(name: SettingName): string {
  return SETTINGS[name].yamlKey;
}

function resolveAuth(values: ConfigValues, listener: 'metrics' | 'otlp', readFile: ReadFile): ListenerAuth | undefined {
  const token = secret(values, `${listener}BearerToken`, `${listener}BearerTokenFile`, readFile);
  const password = secret(values, `${listener}BasicAuthPassword`, `${listener}BasicAuthPasswordFile`, readFile);
  const username = values[`${listener}BasicAuthUsername`];
  const bearerSet = token?.from;
  const basicSet = username !== '' ? `${listener}BasicAuthUsername` as const : password?.from;
  if (bearerSet !== undefined && basicSet !== undefined) {
    throw new ConfigError(`${key(bearerSet)} and ${key(basicSet)} are both set: a listener takes a bearer token or basic auth, not both; leave one out.`);
  }
  if (token !== undefined) return { kind: 'bearer', token: token.value };
  if (username !== '' && password === undefined) {
    throw new ConfigError(`${key(`${listener}BasicAuthUsername`)} is set without ${key(`${listener}BasicAuthPassword`)} or ${key(`${listener}BasicAuthPasswordFile`)}; set the password too.`);
  }
  if (password !== undefined && username === '') {
    throw new ConfigError(`${key(password.from)} is set without ${key(`${listener}BasicAuthUsername`)}; set the username too.`);
  }
  return password === undefined ? undefined : { kind: 'basic', username, password: password.value };
}

/** A secret from its value setting or its file setting (one of them at most); undefined when neither is set. */
function secret(values: ConfigValues, valueName: SettingName, fileName: SettingName, readFile: ReadFile): { value: string; from: SettingName } | undefined {
  const value = values[valueName] as string;
  const path = values[fileName] as string;
  if (value !== '' && path !== '') throw new ConfigError(`${key(valueName)} and ${key(fileName)} are both set; set only one of them.`);
  if (value !== '') return { value, from: valueName };
  if (path === '') return undefined;
  // A file written with `echo` ends with a newline that is not part of the secret.
  const text = readSetting(fileName, path, readFile).replace(/(?:\r?\n)+$/, '');
  if (text === '') throw new ConfigError(`${key(fileName)} ${path} is empty; it must hold the secret.`);
  return { value: text, from: fileName };
}

function readSetting(name: SettingName, path: string, readFile: ReadFile): string {
  try {
    return readFile(path);
  } catch (error) {
    throw new ConfigError(`cannot read ${key(name)} ${path}: ${firstLine(error)}.`);
  }
}

function resolveTls(values: ConfigValues, certName: SettingName, keyName: SettingName, readFile: ReadFile): TlsCredentials | undefined {
  const certPath = values[certName] as string;
  const keyPath = values[keyName] as string;
  if (certPath === '' && keyPath === '') return undefined;
  if (certPath === '' || keyPath === '') {
    const [given, missing] = certPath === '' ? [keyName, certName] : [certName, keyName];
    throw new ConfigError(`${key(given)} is set without ${key(missing)}; set both or neither.`);
  }
  const cert = readSetting(certName, certPath, readFile);
  const privateKey = readSetting(keyName, keyPath, readFile);
  try {
    new X509Certificate(cert);
  } catch (error) {
    throw new ConfigError(`${key(certName)} ${certPath} is not a PEM certificate: ${firstLine(error)}.`);
  }
  try {
    createPrivateKey(privateKey);
  } catch (error) {
    throw new ConfigError(`${key(keyName)} ${keyPath} is not a PEM private key: ${firstLine(error)}.`);
  }
  try {
    createSecureContext({ cert, key: privateKey });
  } catch (error) {
    throw new ConfigError(`${key(certName)} ${certPath} and ${key(keyName)} ${keyPath} do not go together: ${firstLine(error)}.`);
  }
  return { cert, key: privateKey };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.replace(/\.$/, '');
}
