import { describe, expect, it } from 'vitest';
import {
  isConfigMapKey,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isEnvVarName,
  isRelaxedEnvVarName,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from './names';

describe('Kubernetes name syntax', () => {
  it('words DNS-1123 label errors like apimachinery, double space included', () => {
    expect(isDns1123Label('my-name')).toEqual([]);
    expect(isDns1123Label('My_Name')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDns1123Label('a'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });

  it('accepts dotted subdomains and rejects uppercase', () => {
    expect(isDns1123Subdomain('web.example.com')).toEqual([]);
    expect(isDns1123Subdomain('Web')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('requires DNS-1035 labels to start with a letter', () => {
    expect(isDns1035Label('web')).toEqual([]);
    expect(isDns1035Label('1web')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('checks qualified names part by part', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('/name')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName('bad key')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
  });

  it('allows empty label values but not trailing dashes', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('v1-')).toHaveLength(1);
  });

  it('checks ports, port names, env names, config keys, IPs and CIDRs', () => {
    expect(isValidPortNum(0)).toEqual(['must be between 1 and 65535, inclusive']);
    expect(isValidPortNum(80)).toEqual([]);
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('a-very-long-port-name')).toContain('must be no more than 15 characters');
    expect(isEnvVarName('MY_VAR')).toEqual([]);
    expect(isEnvVarName('1VAR')).toHaveLength(1);
    expect(isRelaxedEnvVarName('1 VAR.x')).toEqual([]);
    expect(isRelaxedEnvVarName('A=B')).toEqual([
      "a valid environment variable name must consist only of printable ASCII characters other than '='",
    ]);
    expect(isConfigMapKey('app.properties')).toEqual([]);
    expect(isConfigMapKey('a/b')).toHaveLength(1);
    expect(isConfigMapKey('..')).toContain("must not be '..'");
    expect(isValidIP('10.96.0.1')).toEqual([]);
    expect(isValidIP('fd00::1')).toEqual([]);
    expect(isValidIP('10.96.0.256')).toEqual([
      'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    expect(isValidCIDR('10.244.0.0/16')).toEqual([]);
    expect(isValidCIDR('10.244.0.0')).toHaveLength(1);
  });
});
