export { type AttemptFile, attemptFiles } from './attempt-files.ts';
export { type EpisodeFilter, type EpisodeRow, NotFoundError, type RunListItem, RunsReader } from './runs.ts';
export { buildViewer, PAGE_LIMIT, startViewer, type ViewerOptions } from './server.ts';
export { type ReplyTokens, TokenPieces } from './tokens.ts';
