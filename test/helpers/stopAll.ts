/** Runs every stop, even after one fails; then throws what failed, all of it. */
export async function stopAll(stops: readonly (() => unknown)[]): Promise<void> {
  const problems: unknown[] = [];
  for (const stop of stops) {
    try {
      await stop();
    } catch (error) {
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new AggregateError(problems, 'cleanup failed');
}
