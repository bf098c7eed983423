/**
 * The version of the messages between vzlint's main thread and its reading thread (`read.ts` Prefetcher,
 * `readerWorker.ts`), passed as `workerData.vzlintReader`: a reading thread serves only its own version.
 * A dist/vzlint-reader.js of another build (a partial copy or upgrade of dist/) then does nothing and
 * ends, and the main thread reads every file itself, instead of waiting for answers that never come.
 * Bump it whenever `ReadRequest` or `ReadAnswer` change. Its own module: the CLI bundle must not load
 * `readerWorker.ts` (which starts reading when loaded in a thread).
 */
export const READER_PROTOCOL = 3;

/** A batch nobody reads yet (a cell of `ReadRequest.claims`, readerWorker.ts). */
export const CLAIM_FREE = 0;
/** A batch the reading thread reads (or has read). */
export const CLAIM_READER = 1;
/** A batch the main thread reads itself: it needed the batch before the reading thread had started on it. */
export const CLAIM_MAIN = 2;
