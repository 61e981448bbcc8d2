import { readFile } from 'node:fs/promises';

/** What a URL is asked for: OpenMetrics first, whose `# UNIT` lines the bridge's names need; the official exporter answers text anyway. */
export const SCRAPE_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

/** A scrape that could not be read; the message names the file or URL and why. */
export class ScrapeReadError extends Error {
  override readonly name = 'ScrapeReadError';
}

/** The text of a scrape: fetched when `from` is an http(s) URL, read as a file otherwise. */
export async function readScrape(from: string, timeoutMs = 10_000): Promise<string> {
  if (/^https?:\/\//i.test(from)) {
    let response: Response;
    try {
      response = await fetch(from, { headers: { accept: SCRAPE_ACCEPT }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new ScrapeReadError(`could not fetch ${from}: ${describeCause(error)}`);
    }
    if (!response.ok) throw new ScrapeReadError(`${from} answered ${response.status} ${response.statusText}; expected a metrics scrape.`);
    return response.text();
  }
  try {
    return await readFile(from, 'utf8');
  } catch (error) {
    throw new ScrapeReadError(`could not read ${from}: ${describeCause(error)}`);
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
