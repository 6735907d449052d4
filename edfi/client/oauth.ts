/**
 * OAuth2 client credentials against an Ed-Fi API (`POST {authUrl}/oauth/token`), with every way a
 * district's first connection test can fail told apart, so the message says what to fix.
 */
import { errors as undiciErrors, request } from 'undici';

export interface TokenGrant {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

export type TokenFailureKind = 'whitespace' | 'bad-credentials' | 'wrong-url' | 'unreachable' | 'tls' | 'rejected';

export interface TokenFailure {
  readonly kind: TokenFailureKind;
  /** What went wrong and what to do, for the clerk. */
  readonly message: string;
  readonly httpStatus?: number;
}

export type TokenResult = { readonly ok: true; readonly grant: TokenGrant } | { readonly ok: false; readonly failure: TokenFailure };

/** The token endpoint for an Authentication URL: the API root, or the token URL itself. */
export function tokenUrl(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, '');
  return /\/oauth\/token$/i.test(trimmed) ? trimmed : `${trimmed}/oauth/token`;
}

/** Leading/trailing spaces are the guide's first suspect after a failed test: call them out before sending. */
export function whitespaceProblem(key: string, secret: string): TokenFailure | undefined {
  const bad = [key !== key.trim() ? 'key' : undefined, secret !== secret.trim() ? 'secret' : undefined].filter((x) => x !== undefined);
  if (bad.length === 0) return undefined;
  return {
    kind: 'whitespace',
    message: `The ${bad.join(' and the ')} ${bad.length > 1 ? 'have' : 'has'} leading or trailing spaces — copy ${bad.length > 1 ? 'them' : 'it'} again from the state's key-and-secret page without the spaces.`,
  };
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && (TLS_CODES.has(code) || NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return code;
  }
  return undefined;
}

export function classifyNetworkError(url: string, err: unknown): TokenFailure {
  const code = errorCode(err);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  if (code !== undefined && TLS_CODES.has(code)) {
    return {
      kind: 'tls',
      message: `The secure connection to ${host} failed (${code}): the server's certificate is not trusted here. Check the URL uses the state's host name; if your district inspects TLS, give Node its CA with NODE_EXTRA_CA_CERTS.`,
    };
  }
  if (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT'
  ) {
    return {
      kind: 'unreachable',
      message: `${host} did not answer in time. Check the Authentication URL and that this server may reach it (firewall, proxy).`,
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'unreachable', message: `The host ${host} could not be found. Check the Authentication URL for typos.` };
  }
  return {
    kind: 'unreachable',
    message: `Could not connect to ${host}${code !== undefined ? ` (${code})` : ''}. Check the Authentication URL and that the API is up.`,
  };
}

export async function requestToken(opts: { authUrl: string; key: string; secret: string; timeoutMs?: number }): Promise<TokenResult> {
  const spaces = whitespaceProblem(opts.key, opts.secret);
  if (spaces !== undefined) return { ok: false, failure: spaces };
  let url: string;
  try {
    url = tokenUrl(new URL(opts.authUrl).toString());
  } catch {
    return {
      ok: false,
      failure: { kind: 'wrong-url', message: `"${opts.authUrl}" is not a URL. Use the API URL from the state, e.g. https://api.state.gov/odsedfiapi2025.` },
    };
  }
  const timeout = opts.timeoutMs ?? 10_000;
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${opts.key}:${opts.secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    return { ok: false, failure: classifyNetworkError(url, err) };
  }
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  if (status === 200 && typeof body?.access_token === 'string') {
    return { ok: true, grant: { accessToken: body.access_token, expiresInSeconds: typeof body.expires_in === 'number' ? body.expires_in : 0 } };
  }
  const oauthError = typeof body?.error === 'string' ? body.error : undefined;
  // ODS/API 6.0+ answer 401 invalid_client, 5.x 400 invalid_client, for an unknown key or a wrong secret.
  if (oauthError === 'invalid_client' || (status === 401 && body !== undefined)) {
    return {
      ok: false,
      failure: {
        kind: 'bad-credentials',
        httpStatus: status,
        message: 'The API refused the key and secret (invalid_client). Check both against what the state issued; if they were regenerated, enter the new ones.',
      },
    };
  }
  if (status === 404 || body === undefined) {
    return {
      ok: false,
      failure: {
        kind: 'wrong-url',
        httpStatus: status,
        message: `${url} is not an Ed-Fi token endpoint (HTTP ${status}${body === undefined ? ', not JSON' : ''}). Use the API URL from the state for the Authentication URL.`,
      },
    };
  }
  return {
    ok: false,
    failure: {
      kind: 'rejected',
      httpStatus: status,
      message: `The API refused the token request: HTTP ${status}${oauthError !== undefined ? ` ${oauthError}` : ''}.`,
    },
  };
}
