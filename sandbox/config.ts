/** A bad sandbox configuration (option, file, snapshot) said as what to fix, and reading a JSON file that way. */
import { readFileSync } from 'node:fs';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${what} ${file} could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${what} ${file} is not valid JSON (${(err as Error).message}); fix the syntax`);
  }
}
