export class UpstreamError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`${url} answered ${status}`);
    this.name = 'UpstreamError';
  }
}

// Gateway errors and throttling are worth another try; any other status is the caller's problem.
const RETRYABLE_STATUSES = [429, 502, 503, 504];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GET or POST JSON to an internal service, retrying transient failures with exponential back-off. */
export async function fetchJson<T>(url: string, init: RequestInit = {}, attempts = 3): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, {
        ...init,
        headers: { accept: 'application/json', 'content-type': 'application/json', ...init.headers },
        signal: AbortSignal.timeout(5_000),
      });
      if (response.ok) return (await response.json()) as T;
      lastError = new UpstreamError(url, response.status);
      if (!RETRYABLE_STATUSES.includes(response.status)) break;
    } catch (error) {
      // Network errors and timeouts are transient too.
      lastError = error;
    }
    if (attempt < attempts) await sleep(100 * 2 ** attempt);
  }
  throw lastError;
}
