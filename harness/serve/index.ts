/** `harness serve`: the local model behind the Anthropic Messages API, with steering and readings. */
export { ApiError, type ApiStatus } from './api-error.ts';
export { CountTokensRequestSchema, MessagesRequestSchema } from './request.ts';
export { createServer, type ServeOptions } from './server.ts';
