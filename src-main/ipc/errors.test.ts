import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  GoneError,
  InternalError,
  InvalidError,
  KubedeskError,
  NotFoundError,
  errorFromStatus,
  fromEnvelope,
  isErrorEnvelope,
  toEnvelope,
} from './errors';

describe('error envelopes', () => {
  it('rebuild the typed error with its data after a JSON round trip', () => {
    const original = new InvalidError({
      kind: 'Invalid',
      message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
      code: 422,
      reason: 'Invalid',
      causes: [{ field: 'spec.replicas', message: 'Invalid value: -1', reason: 'FieldValueInvalid' }],
    });
    const envelope = JSON.parse(JSON.stringify(toEnvelope(original))) as unknown;
    expect(isErrorEnvelope(envelope)).toBe(true);
    const rebuilt = fromEnvelope(envelope as ReturnType<typeof toEnvelope>);
    expect(rebuilt).toBeInstanceOf(InvalidError);
    expect(rebuilt).toBeInstanceOf(KubedeskError);
    expect(rebuilt.message).toBe(original.message);
    expect(rebuilt.code).toBe(422);
    expect(rebuilt.causes).toEqual(original.causes);
    expect(rebuilt.name).toBe('InvalidError');
  });

  it('turn plain errors and other values into Internal', () => {
    expect(toEnvelope(new Error('boom'))).toEqual({ kind: 'Internal', message: 'boom' });
    expect(toEnvelope('text')).toEqual({ kind: 'Internal', message: 'text' });
    expect(fromEnvelope({ kind: 'Nonsense' as 'Internal', message: 'x' })).toBeInstanceOf(InternalError);
  });
});

describe('errorFromStatus', () => {
  it('maps the Status reason to the kind and keeps causes', () => {
    const err = errorFromStatus(
      {
        kind: 'Status',
        status: 'Failure',
        message: 'pods "x" not found',
        reason: 'NotFound',
        details: { name: 'x', kind: 'pods' },
        code: 404,
      },
      404,
    );
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe('pods "x" not found');
    expect(err.reason).toBe('NotFound');

    const invalid = errorFromStatus(
      {
        reason: 'Invalid',
        message: 'bad',
        details: {
          causes: [{ field: 'metadata.name', message: 'Required value', reason: 'FieldValueRequired' }],
        },
      },
      422,
    );
    expect(invalid.causes).toEqual([
      { field: 'metadata.name', message: 'Required value', reason: 'FieldValueRequired' },
    ]);
  });

  it('falls back to the HTTP code, and Expired means Gone', () => {
    expect(errorFromStatus(undefined, 409)).toBeInstanceOf(ConflictError);
    expect(errorFromStatus({ reason: 'Expired', message: 'too old resource version' }, 410)).toBeInstanceOf(
      GoneError,
    );
    expect(errorFromStatus('plain text body', 500).message).toBe('plain text body');
  });
});
