import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import {
  isDns1123Subdomain,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, arr, records, str } from './common';

function validateServiceAccount(sa: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(sa.metadata, old.metadata)
    : validateObjectMeta(sa.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  records(sa.imagePullSecrets).forEach((ref, i) => {
    const name = str(ref.name);
    for (const msg of isDns1123Subdomain(name))
      errs.push(fieldErrors.invalid(`imagePullSecrets[${i}].name`, name, msg));
  });
  return errs;
}

/** core/v1 serviceaccounts, with the `token` subresource (TokenRequest). */
export const serviceAccountsResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  verbs: STANDARD_VERBS,
  subresources: [
    { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
  ],
  hasStatusSubresource: false,
  validate: validateServiceAccount,
  table: {
    columns: [
      nameColumn(),
      column('Secrets', 'string', swaggerDoc('V1ServiceAccount', 'secrets')),
      ageColumn(),
    ],
    cells: (sa, context) => [sa.metadata.name ?? '', arr(sa.secrets).length, ageCell(sa, context.now)],
  },
};
