/** @parley/client: the client core shared by the web app, the e2e tests and the benchmark. */
export { isSessionGone, TokenGate, type TokenSource, withAuth } from "./auth";
export { type BackoffOptions, backoffDelay, RECONNECT_BACKOFF, SEND_BACKOFF } from "./backoff";
export { createParleyClient, type ParleyClient, type ParleyClientOptions } from "./client";
export { LiveConnection, silenceLimit } from "./connection";
export { TYPING_TTL_MS, typingUsers } from "./events";
export {
  FileUploads,
  type FileUploadsOptions,
  type UnfinishedUpload,
  type UploadMemory,
  type UploadsState,
} from "./file-uploads";
export { hashUserId, parseRealtimeUrls, pickRealtimeUrl } from "./instances";
export * from "./limits";
export { type LinkSegment, splitLinks } from "./links";
export * from "./model";
export { describeSendFailure, isRetryable } from "./outbox";
export { ChatSession, type ChatSessionOptions, type SendOutcome } from "./session";
export {
  type ChatState,
  type ConnectionStatus,
  initialState,
  isHiddenMessage,
  orderConversations,
  type SystemNotice,
} from "./state";
export { findGap, type Timeline } from "./timeline";
export { HASH_SLICE_BYTES, hashBlob } from "./upload-hash";
export { formatBytes, formatDuration, ProgressMeter } from "./upload-progress";
export {
  describeFailure,
  type Fingerprint,
  findResumable,
  heldOffset,
  isPassingFault,
  UPLOAD_OFFSET_HEADER,
  type UploadStatus,
  UploadTask,
  type UploadView,
} from "./uploads";
