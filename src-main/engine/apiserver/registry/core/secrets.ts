import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import {
  isConfigMapKey,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, fieldAt, rec, str } from './common';
import { MAX_CONFIG_SIZE, base64Size, validateImmutableData } from './configmaps';

/** Data keys each well-known Secret type requires. */
const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.key', 'tls.crt'],
};

/** SetDefaults_Secret, plus the v1 conversion that folds `stringData` into base64 `data`. */
function applySecretDefaults(secret: KubeObject): void {
  if (!str(secret.type)) secret.type = 'Opaque';
  const stringData = rec(secret.stringData);
  if (Object.keys(stringData).length > 0) {
    const data = { ...rec(secret.data) };
    for (const [key, value] of Object.entries(stringData))
      data[key] = Buffer.from(String(value)).toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

function validateSecret(secret: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(secret.metadata, old.metadata)
    : validateObjectMeta(secret.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  const data = rec(secret.data);
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`data[${key}]`, key, msg));
    size += base64Size(value);
  }
  if (size > MAX_CONFIG_SIZE) errs.push(fieldErrors.tooLong('data', MAX_CONFIG_SIZE));
  const type = str(secret.type);
  if (type === 'kubernetes.io/service-account-token') {
    if (!secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(fieldErrors.required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
  } else if (type === 'kubernetes.io/basic-auth') {
    if (!('username' in data) && !('password' in data)) {
      errs.push(fieldErrors.required('data[username]'), fieldErrors.required('data[password]'));
    }
  } else {
    for (const key of requiredKeys[type] ?? [])
      if (!(key in data)) errs.push(fieldErrors.required(`data[${key}]`));
  }
  if (old) {
    if (str(old.type) !== type) errs.push(fieldErrors.invalid('type', type, 'field is immutable'));
    errs.push(...validateImmutableData(secret, old, ['data']));
  }
  return errs;
}

/** core/v1 secrets. */
export const secretsResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  verbs: STANDARD_VERBS,
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applySecretDefaults,
  validate: validateSecret,
  table: {
    columns: [
      nameColumn(),
      column('Type', 'string', swaggerDoc('V1Secret', 'type')),
      column('Data', 'string', swaggerDoc('V1Secret', 'data')),
      ageColumn(),
    ],
    cells: (secret, context) => [
      secret.metadata.name ?? '',
      str(secret.type),
      Object.keys(rec(secret.data)).length,
      ageCell(secret, context.now),
    ],
  },
  fieldSelectors: { type: fieldAt(['type']) },
};
