/**
 * A child of `npm start` (worker, API) ends itself if `npm start` disappears without stopping it
 * (e.g. killed with SIGKILL), so no orphan keeps ports and connections open.
 */
export function exitWithParent(onGone: () => void, env: NodeJS.ProcessEnv = process.env, everyMs = 2_000): void {
  const parent = Number(env.EDX_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      clearInterval(timer);
      onGone();
    }
  }, everyMs);
  timer.unref();
}
