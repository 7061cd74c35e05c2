import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { isConfigMapKey, isDns1123Label, isDns1123Subdomain, parseQuantity } from '../validation';
import { IS_NEGATIVE } from '../validation';
import { num, rec, records, str } from './common';
import { VOLUME_SOURCE_KEYS } from './pod-spec-defaults';

/** `must be a number between 0 and 0777 (octal), both inclusive` — file mode checks. */
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

const hostPathTypes = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

function validateMode(value: unknown, path: string): FieldError[] {
  const mode = num(value);
  if (mode === undefined) return [];
  return mode < 0 || mode > 0o777 ? [fieldErrors.invalid(path, mode, FILE_MODE_ERROR)] : [];
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  records(items).forEach((item, i) => {
    const p = `${path}[${i}]`;
    if (!str(item.key)) errs.push(fieldErrors.required(`${p}.key`));
    if (!str(item.path)) errs.push(fieldErrors.required(`${p}.path`));
    else errs.push(...validateLocalNonReservedPath(str(item.path), `${p}.path`));
    errs.push(...validateMode(item.mode, `${p}.mode`));
  });
  return errs;
}

/** validateLocalDescendingPath: relative, no `..` element. */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(fieldErrors.invalid(path, target, 'must be a relative path'));
  if (target.split(/[\\/]/).includes('..'))
    errs.push(fieldErrors.invalid(path, target, "must not contain '..'"));
  return errs;
}

function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..')) errs.push(fieldErrors.invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateSource(key: string, source: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (key) {
    case 'hostPath': {
      if (!str(source.path)) errs.push(fieldErrors.required(`${path}.path`));
      const type = source.type ?? '';
      if (typeof type !== 'string' || !hostPathTypes.includes(type)) {
        errs.push(fieldErrors.notSupported(`${path}.type`, type, hostPathTypes));
      }
      break;
    }
    case 'emptyDir': {
      const limit = source.sizeLimit;
      if (limit !== undefined && (parseQuantity(limit) ?? 0) < 0) {
        errs.push(
          fieldErrors.forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'),
        );
      }
      const medium = source.medium ?? '';
      if (!['', 'Memory', 'HugePages'].includes(String(medium)) && !String(medium).startsWith('HugePages-')) {
        errs.push(fieldErrors.notSupported(`${path}.medium`, medium, ['', 'Memory', 'HugePages']));
      }
      break;
    }
    case 'secret': {
      const name = str(source.secretName);
      if (!name) errs.push(fieldErrors.required(`${path}.secretName`));
      else
        for (const msg of isDns1123Subdomain(name))
          errs.push(fieldErrors.invalid(`${path}.secretName`, name, msg));
      errs.push(...validateMode(source.defaultMode, `${path}.defaultMode`));
      errs.push(...validateKeyToPaths(source.items, `${path}.items`));
      break;
    }
    case 'configMap': {
      const name = str(source.name);
      if (!name) errs.push(fieldErrors.required(`${path}.name`));
      else
        for (const msg of isDns1123Subdomain(name)) errs.push(fieldErrors.invalid(`${path}.name`, name, msg));
      errs.push(...validateMode(source.defaultMode, `${path}.defaultMode`));
      errs.push(...validateKeyToPaths(source.items, `${path}.items`));
      break;
    }
    case 'persistentVolumeClaim':
      if (!str(source.claimName)) errs.push(fieldErrors.required(`${path}.claimName`));
      break;
    case 'nfs':
      if (!str(source.server)) errs.push(fieldErrors.required(`${path}.server`));
      if (!str(source.path)) errs.push(fieldErrors.required(`${path}.path`));
      else if (!str(source.path).startsWith('/')) {
        errs.push(fieldErrors.invalid(`${path}.path`, source.path, 'must be an absolute path'));
      }
      break;
    case 'downwardAPI':
      errs.push(...validateMode(source.defaultMode, `${path}.defaultMode`));
      records(source.items).forEach((item, i) => {
        const p = `${path}.items[${i}]`;
        if (!str(item.path)) errs.push(fieldErrors.required(`${p}.path`));
        errs.push(...validateMode(item.mode, `${p}.mode`));
      });
      break;
    case 'projected':
      errs.push(...validateMode(source.defaultMode, `${path}.defaultMode`));
      records(source.sources).forEach((projection, i) => {
        const p = `${path}.sources[${i}]`;
        const kinds = [
          'secret',
          'configMap',
          'downwardAPI',
          'serviceAccountToken',
          'clusterTrustBundle',
        ].filter((k) => isPlainObject(projection[k]));
        if (kinds.length > 1) {
          errs.push(
            fieldErrors.forbidden(`${p}.${kinds[1]}`, 'may not specify more than 1 volume type per source'),
          );
        }
        const token = projection.serviceAccountToken;
        if (isPlainObject(token)) {
          const seconds = num(token.expirationSeconds) ?? 3600;
          if (seconds < 600) {
            errs.push(
              fieldErrors.invalid(
                `${p}.serviceAccountToken.expirationSeconds`,
                seconds,
                'may not specify a duration less than 10 minutes',
              ),
            );
          }
          if (!str(token.path)) errs.push(fieldErrors.required(`${p}.serviceAccountToken.path`));
        }
        for (const k of ['secret', 'configMap']) {
          if (isPlainObject(projection[k]))
            errs.push(...validateKeyToPaths(projection[k].items, `${p}.${k}.items`));
        }
      });
      break;
    case 'csi':
      if (!str(source.driver)) errs.push(fieldErrors.required(`${path}.driver`));
      break;
    case 'image':
      if (!str(source.reference)) errs.push(fieldErrors.required(`${path}.reference`));
      break;
    default:
      break;
  }
  return errs;
}

/**
 * ValidateVolumes: names are unique DNS-1123 labels, and each volume has exactly one source.
 * Returns the errors and the names of the valid volumes (for volumeMount checks).
 */
export function validateVolumes(
  volumes: unknown,
  path: string,
): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  records(volumes).forEach((volume, i) => {
    const p = `${path}[${i}]`;
    const el: FieldError[] = [];
    let count = 0;
    for (const key of VOLUME_SOURCE_KEYS) {
      const source = volume[key];
      if (source === undefined || source === null) continue;
      if (count > 0) {
        el.push(fieldErrors.forbidden(`${p}.${key}`, 'may not specify more than 1 volume type'));
      } else {
        count++;
        el.push(...validateSource(key, rec(source), `${p}.${key}`));
      }
    }
    if (count === 0) el.push(fieldErrors.required(p, 'must specify a volume type'));
    const name = str(volume.name);
    if (!name) el.push(fieldErrors.required(`${p}.name`));
    else for (const msg of isDns1123Label(name)) el.push(fieldErrors.invalid(`${p}.name`, name, msg));
    if (names.has(name)) el.push(fieldErrors.duplicate(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else errors.push(...el);
  });
  return { errors, names };
}

/** ValidateConfigMap/Secret key syntax for a data map at `path`, reported at `path[key]`. */
export function validateDataKeys(data: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(rec(data))) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`${path}[${key}]`, key, msg));
  }
  return errs;
}

/** `Invalid value: "-1": must be greater than or equal to 0` for quantities. */
export function validateNonNegativeQuantity(value: unknown, path: string): FieldError[] {
  const q = parseQuantity(value);
  return q !== undefined && q < 0 ? [fieldErrors.invalid(path, String(value), IS_NEGATIVE)] : [];
}
