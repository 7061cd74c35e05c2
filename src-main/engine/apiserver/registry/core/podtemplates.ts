import type { KubeObject } from '../../../k8s-object';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { column, containerNamesAndImages, formatLabels, nameColumn } from '../printers';
import { nameIsDnsSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../validation';
import { STANDARD_VERBS, rec, records, stringMap } from './common';
import { applyPodTemplateDefaults } from './pod-spec-defaults';
import { validatePodTemplateSpec } from './pod-spec-validation';

function validatePodTemplate(template: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(template.metadata, old.metadata)
    : validateObjectMeta(template.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  errs.push(...validatePodTemplateSpec(template.template, 'template'));
  return errs;
}

/** core/v1 podtemplates. */
export const podTemplatesResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  listKind: 'PodTemplateList',
  plural: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  verbs: STANDARD_VERBS,
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults(template) {
    applyPodTemplateDefaults(template.template);
  },
  validate: validatePodTemplate,
  table: {
    columns: [
      nameColumn(),
      column('Containers', 'string', 'Names of each container in the template.'),
      column('Images', 'string', 'Images referenced by each container in the template.'),
      column('Pod Labels', 'string', 'The labels for the pod template.'),
    ],
    cells: (template) => {
      const t = rec(template.template);
      const { names, images } = containerNamesAndImages(
        records(rec(t.spec).containers).map((c) => ({
          name: String(c.name ?? ''),
          image: String(c.image ?? ''),
        })),
      );
      return [template.metadata.name ?? '', names, images, formatLabels(stringMap(rec(t.metadata).labels))];
    },
  },
};
