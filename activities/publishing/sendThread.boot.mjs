// The send thread's entry: a worker thread loads it before any --import hook, so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./sendThread.entry.ts');
