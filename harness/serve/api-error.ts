/** Errors in the Messages API's shape: `{"type":"error","error":{"type":...,"message":...}}`. */

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export type ApiStatus = 400 | 401 | 404 | 413 | 429 | 500 | 529;

export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get type(): string {
    return TYPES[this.status]!;
  }

  body(): { type: 'error'; error: { type: string; message: string } } {
    return { type: 'error', error: { type: this.type, message: this.message } };
  }
}
