/** The CLI's only way to Gerbang: one call to the admin API, its JSON answer, and errors that carry the API's code. */

/** The admin API answered with an error: its stable code and message, and the fields it names. */
export class ApiError extends Error {
  readonly fields: Array<{ path: string; message: string }>;
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as { error?: { code?: string; message?: string; details?: { fields?: unknown } } })
      ?.error;
    super(error ? `${error.code}: ${error.message}` : `HTTP ${status}`);
    const fields = error?.details?.fields;
    this.fields = Array.isArray(fields) ? (fields as Array<{ path: string; message: string }>) : [];
  }
}

/** Nothing answered at the URL: exit 3, so scripts can tell it from a refusal. */
export class Unreachable extends Error {}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export class ApiClient {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.url), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Unreachable(
        `cannot reach ${this.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (e.g. /metrics): keep the text
    }
    if (res.status >= 400) throw new ApiError(res.status, parsed);
    return { status: res.status, body: parsed };
  }
}
