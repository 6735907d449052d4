/**
 * What an unexpected error may put in a log: database errors carry their SQL with the values
 * filled in (a sealed secret, an API-key hash, a student's name), and Postgres' `detail` repeats
 * key values. Literals become `?` so the statement still says what failed.
 */
export function redactSql(text: string): string {
  return (
    text
      // 'quoted' literals, with '' escapes; E'…' strings too
      .replace(/[Ee]?'(?:[^']|'')*'/g, '?')
      // Key (id)=(value) in Postgres details
      .replace(/\)=\((?:[^()]|\([^()]*\))*\)/g, ')=(?)')
      // bare numbers that are not part of a name ($1 placeholders stay)
      .replace(/(?<![\w$."])-?\d+(?:\.\d+)?(?![\w"])/g, '?')
  );
}

export interface LoggableError {
  readonly type: string;
  readonly code?: string;
  readonly message: string;
  readonly stack?: string;
}

/** An error as it may be logged: name, code, message and stack with literals redacted. */
export function loggableError(err: unknown): LoggableError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return {
    type: e.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: redactSql(e.message),
    // The frames hold no values (file:line:column stay readable); the message above them is redacted.
    ...(e.stack !== undefined ? { stack: [`${e.name}: ${redactSql(e.message)}`, ...e.stack.split('\n').filter((l) => /^\s+at /.test(l))].join('\n') } : {}),
  };
}
