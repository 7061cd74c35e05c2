import { describe, expect, it } from 'vitest';
import { invalid } from '../../status';
import { nameIsDns1035Label, validateObjectMeta, validateObjectMetaUpdate } from './object-meta';
import { validateLabelSelector } from './label-selector';
import { parseQuantity } from './quantity';

describe('validateObjectMeta', () => {
  it('requires a name unless generateName is given', () => {
    expect(validateObjectMeta({ namespace: 'default' }, { namespaced: true })).toEqual([
      {
        type: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ]);
    expect(
      validateObjectMeta(
        { generateName: 'web-', name: 'web-x7k2p', namespace: 'default' },
        { namespaced: true },
      ),
    ).toEqual([]);
  });

  it('produces the message kubectl prints for a bad name', () => {
    const errors = validateObjectMeta(
      { name: 'Web', namespace: 'default' },
      { namespaced: true, name: nameIsDns1035Label },
    );
    expect(invalid('Service', 'Web', '', errors).message).toBe(
      `Service "Web" is invalid: metadata.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('forbids a namespace on cluster-scoped kinds and requires it on namespaced ones', () => {
    expect(validateObjectMeta({ name: 'n1', namespace: 'default' }, { namespaced: false })).toEqual([
      {
        type: 'FieldValueForbidden',
        field: 'metadata.namespace',
        message: 'Forbidden: not allowed on this type',
      },
    ]);
    expect(validateObjectMeta({ name: 'p' }, { namespaced: true })[0]).toEqual({
      type: 'FieldValueRequired',
      field: 'metadata.namespace',
      message: 'Required value',
    });
  });

  it('checks label syntax and the 256 KiB annotation budget', () => {
    const labelErrors = validateObjectMeta(
      { name: 'p', namespace: 'd', labels: { 'bad key': 'ok', app: 'bad value!' } },
      { namespaced: true },
    );
    expect(labelErrors.map((e) => e.field)).toEqual(['metadata.labels', 'metadata.labels']);
    expect(labelErrors[1].message).toMatch(
      /^Invalid value: "bad value!": a valid label must be an empty string/,
    );
    const big = validateObjectMeta(
      { name: 'p', namespace: 'd', annotations: { a: 'x'.repeat(256 * 1024) } },
      { namespaced: true },
    );
    expect(big).toEqual([
      {
        type: 'FieldValueTooLong',
        field: 'metadata.annotations',
        message: 'Too long: may not be more than 262144 bytes',
      },
    ]);
  });

  it('keeps name and namespace immutable on update', () => {
    expect(validateObjectMetaUpdate({ name: 'b', namespace: 'd' }, { name: 'a', namespace: 'd' })).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        message: 'Invalid value: "b": field is immutable',
      },
    ]);
  });
});

describe('validateLabelSelector', () => {
  it('reports operator and value problems with indexed paths', () => {
    const errors = validateLabelSelector(
      {
        matchExpressions: [
          { key: 'tier', operator: 'In' },
          { key: 'x', operator: 'Exists', values: ['a'] },
          { key: 'y', operator: 'Bogus' },
        ],
      },
      'spec.selector',
    );
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Bogus": not a valid selector operator',
    ]);
  });
});

describe('parseQuantity', () => {
  it('understands decimal, binary and exponent suffixes', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(3)).toBe(3);
    expect(parseQuantity('1Gb')).toBeUndefined();
    expect(parseQuantity('abc')).toBeUndefined();
  });
});
