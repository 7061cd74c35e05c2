import { ApiError, badRequest } from '../status';

/**
 * 422 as Kubernetes' `NewGenericServerResponse` builds it for patches that do not apply: a fixed
 * message and the underlying error as an `UnexpectedServerResponse` cause.
 */
export function patchNotApplicable(detail: string): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: detail }],
  });
}

/** 400 BadRequest with the decoder's or merger's own message. */
export function patchBadRequest(detail: string): ApiError {
  return badRequest(detail);
}

/**
 * An error Kubernetes does not classify (a plain Go error reaching the handler, which it answers
 * 500 with an empty reason). Such a patch is the client's mistake, and this server promises no
 * 5xx for bad input: 400 BadRequest with Kubernetes' message.
 */
export function patchUnclassified(detail: string): ApiError {
  return badRequest(detail);
}

/** 415 for patch types a resource does not accept, listing those it does (as for CRDs). */
export function unsupportedPatchType(accepted: readonly string[]): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** The media types Kubernetes accepts for PATCH on custom resources. */
export const CUSTOM_RESOURCE_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
] as const;
