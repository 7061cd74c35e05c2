import type {
  ConnectSubresource,
  ServedGroupVersion,
  ServedResource,
  ServedSubresource,
} from './served-resources';

/** A query or path parameter, in the neutral form both document versions render. */
export interface ParamSpec {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'boolean' | 'integer';
  description: string;
  required?: boolean;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface OperationSpec {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete' | 'options' | 'head';
  operationId: string;
  description: string;
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';
  gvk: GroupVersionKind;
  tag: string;
  query: ParamSpec[];
  /** Definition name of the request body. */
  body?: string;
  /** Definition name of the 200 response; undefined for plain-text/stream answers (`type: string`). */
  response?: string;
  consumes: string[];
  /** Media types of the answer, when not the usual JSON/YAML/protobuf. */
  produces?: string[];
}

export interface PathSpec {
  path: string;
  params: ParamSpec[];
  operations: OperationSpec[];
}

const q = (name: string, type: ParamSpec['type'], description: string): ParamSpec => ({
  name,
  in: 'query',
  type,
  description,
});

const PRETTY = q(
  'pretty',
  'string',
  "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
);
const DRY_RUN = q(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER = q(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
);
/** The parameter whose presence on `patch` tells kubectl to leave validation to the server. */
export const FIELD_VALIDATION = q(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
);
const FORCE = q(
  'force',
  'boolean',
  'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
);
const LIST_PARAMS: ParamSpec[] = [
  q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  q(
    'fieldSelector',
    'string',
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  ),
  q(
    'labelSelector',
    'string',
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  ),
  q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  q(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  q(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  q('sendInitialEvents', 'boolean', 'sendInitialEvents=true may be set together with watch=true.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  q(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
];
const DELETE_PARAMS: ParamSpec[] = [
  DRY_RUN,
  q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  q(
    'propagationPolicy',
    'string',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
];
const WRITE_PARAMS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** "rbac.authorization.k8s.io" → "RbacAuthorization"; "" → "Core". */
function groupWord(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('');
}

function tagOf(gv: ServedGroupVersion): string {
  const w = groupWord(gv.group);
  return `${w.charAt(0).toLowerCase()}${w.slice(1)}_${gv.version}`;
}

function prefixOf(gv: ServedGroupVersion): string {
  return gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
}

/** The REST paths and operations of one group-version, as Kubernetes publishes them. */
export function groupVersionPaths(gv: ServedGroupVersion): PathSpec[] {
  const out: PathSpec[] = [];
  const prefix = prefixOf(gv);
  const idPart = `${groupWord(gv.group)}${gv.version.charAt(0).toUpperCase()}${gv.version.slice(1)}`;
  const tag = tagOf(gv);
  const nsParam: ParamSpec = {
    name: 'namespace',
    in: 'path',
    type: 'string',
    description: 'object name and auth scope, such as for teams and projects',
    required: true,
  };
  for (const r of gv.resources) {
    const gvk: GroupVersionKind = { group: gv.group, version: gv.version, kind: r.kind };
    const ns = r.namespaced ? 'Namespaced' : '';
    const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
    const scopeParams = r.namespaced ? [nsParam] : [];
    const op = (
      o: Omit<OperationSpec, 'tag' | 'gvk' | 'consumes'> & Partial<OperationSpec>,
    ): OperationSpec => ({
      tag,
      gvk,
      consumes: o.method === 'patch' ? PATCH_TYPES : ['*/*'],
      ...o,
    });

    if (r.createOnly) {
      out.push({
        path: base,
        params: [...scopeParams, PRETTY],
        operations: [
          op({
            method: 'post',
            operationId: `create${idPart}${ns}${r.kind}`,
            description: `create a ${r.kind}`,
            action: 'post',
            query: WRITE_PARAMS,
            body: r.definition,
            response: r.definition,
          }),
        ],
      });
      continue;
    }

    const list = r.listDefinition ?? r.definition;
    out.push({
      path: base,
      params: [...scopeParams, PRETTY],
      operations: [
        op({
          method: 'get',
          operationId: `list${idPart}${ns}${r.kind}`,
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          query: LIST_PARAMS,
          response: list,
        }),
        op({
          method: 'post',
          operationId: `create${idPart}${ns}${r.kind}`,
          description: `create a ${r.kind}`,
          action: 'post',
          query: WRITE_PARAMS,
          body: r.definition,
          response: r.definition,
        }),
        op({
          method: 'delete',
          operationId: `deletecollection${idPart}${ns}${r.kind}`,
          description: `delete collection of ${r.kind}`,
          action: 'deletecollection',
          query: [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== 'watch')],
          body: `${META}DeleteOptions`,
          response: `${META}Status`,
        }),
      ],
    });
    if (r.namespaced) {
      out.push({
        path: `${prefix}/${r.plural}`,
        params: [PRETTY],
        operations: [
          op({
            method: 'get',
            operationId: `list${idPart}${r.kind}ForAllNamespaces`,
            description: `list or watch objects of kind ${r.kind}`,
            action: 'list',
            query: LIST_PARAMS,
            response: list,
          }),
        ],
      });
    }
    const nameParam: ParamSpec = {
      name: 'name',
      in: 'path',
      type: 'string',
      description: `name of the ${r.kind}`,
      required: true,
    };
    out.push({
      path: `${base}/{name}`,
      params: [nameParam, ...scopeParams, PRETTY],
      operations: itemOperations(r, undefined, idPart, ns, op),
    });
    for (const sub of r.subresources) {
      out.push({
        path: `${base}/{name}/${sub.name}`,
        params: [nameParam, ...scopeParams, PRETTY],
        operations: itemOperations(r, sub, idPart, ns, op),
      });
    }
    for (const c of r.connect) {
      const params = [nameParam, ...scopeParams];
      out.push({
        path: `${base}/{name}/${c.name}`,
        params,
        operations: connectOperations(gv, r, c, idPart, ns, op),
      });
      if (c.name === 'proxy') {
        const pathParam: ParamSpec = {
          name: 'path',
          in: 'path',
          type: 'string',
          description: 'path to the resource',
          required: true,
        };
        out.push({
          path: `${base}/{name}/proxy/{path}`,
          params: [...params, pathParam],
          operations: connectOperations(gv, r, c, idPart, ns, op, 'WithPath'),
        });
      }
    }
  }
  return out;
}

const CONNECT_QUERY: Record<ConnectSubresource['name'], ParamSpec[]> = {
  log: [
    q(
      'container',
      'string',
      'The container for which to stream logs. Defaults to only container if there is one container in the pod.',
    ),
    q('follow', 'boolean', 'Follow the log stream of the pod. Defaults to false.'),
    q(
      'insecureSkipTLSVerifyBackend',
      'boolean',
      'insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate of the backend it is connecting to.',
    ),
    q(
      'limitBytes',
      'integer',
      'If set, the number of bytes to read from the server before terminating the log output.',
    ),
    q('previous', 'boolean', 'Return previous terminated container logs. Defaults to false.'),
    q(
      'sinceSeconds',
      'integer',
      'A relative time in seconds before the current time from which to show logs.',
    ),
    q(
      'stream',
      'string',
      'Specify which container log stream to return to the client. Acceptable values are "All", "Stdout" and "Stderr". If not specified, "All" is used.',
    ),
    q('tailLines', 'integer', 'If set, the number of lines from the end of the logs to show.'),
    q(
      'timestamps',
      'boolean',
      'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.',
    ),
  ],
  exec: [
    q(
      'command',
      'string',
      'Command is the remote command to execute. argv array. Not executed within a shell.',
    ),
    q(
      'container',
      'string',
      'Container in which to execute the command. Defaults to only container if there is only one container in the pod.',
    ),
    q('stderr', 'boolean', 'Redirect the standard error stream of the pod for this call.'),
    q('stdin', 'boolean', 'Redirect the standard input stream of the pod for this call. Defaults to false.'),
    q('stdout', 'boolean', 'Redirect the standard output stream of the pod for this call.'),
    q(
      'tty',
      'boolean',
      'TTY if true indicates that a tty will be allocated for the exec call. Defaults to false.',
    ),
  ],
  attach: [
    q(
      'container',
      'string',
      'The container in which to execute the command. Defaults to only container if there is only one container in the pod.',
    ),
    q(
      'stderr',
      'boolean',
      'Stderr if true indicates that stderr is to be redirected for the attach call. Defaults to true.',
    ),
    q(
      'stdin',
      'boolean',
      'Stdin if true, redirects the standard input stream of the pod for this call. Defaults to false.',
    ),
    q(
      'stdout',
      'boolean',
      'Stdout if true indicates that stdout is to be redirected for the attach call. Defaults to true.',
    ),
    q(
      'tty',
      'boolean',
      'TTY if true indicates that a tty will be allocated for the attach call. This is passed through the container runtime so the tty is allocated on the worker node by the container runtime. Defaults to false.',
    ),
  ],
  portforward: [q('ports', 'integer', 'List of ports to forward Required when using WebSockets')],
  proxy: [q('path', 'string', 'Path is the URL path to use for the current proxy request to pod.')],
};

function connectOperations(
  gv: ServedGroupVersion,
  r: ServedResource,
  c: ConnectSubresource,
  idPart: string,
  ns: string,
  op: OpBuilder,
  suffix = '',
): OperationSpec[] {
  const sub = c.name.charAt(0).toUpperCase() + c.name.slice(1);
  if (c.name === 'log') {
    return [
      op({
        method: 'get',
        operationId: `read${idPart}${ns}${r.kind}Log`,
        description: `read log of the specified ${r.kind}`,
        action: 'get',
        query: CONNECT_QUERY.log,
        produces: [
          'text/plain',
          'application/json',
          'application/yaml',
          'application/vnd.kubernetes.protobuf',
        ],
        consumes: ['*/*'],
      }),
    ];
  }
  const gvk: GroupVersionKind = { group: gv.group, version: gv.version, kind: c.optionsKind ?? r.kind };
  return c.methods.map((method) => {
    const m = method.charAt(0).toUpperCase() + method.slice(1);
    return op({
      method,
      operationId: `connect${idPart}${m}${ns}${r.kind}${sub}${suffix}`,
      description: `connect ${m} requests to ${c.name} of ${r.kind}`,
      action: 'connect',
      query: suffix ? [] : CONNECT_QUERY[c.name],
      gvk,
      produces: ['*/*'],
      consumes: ['*/*'],
    });
  });
}

type OpBuilder = (
  o: Omit<OperationSpec, 'tag' | 'gvk' | 'consumes'> & Partial<OperationSpec>,
) => OperationSpec;

function itemOperations(
  r: ServedResource,
  sub: ServedSubresource | undefined,
  idPart: string,
  ns: string,
  op: OpBuilder,
): OperationSpec[] {
  const suffix = sub ? sub.name.charAt(0).toUpperCase() + sub.name.slice(1) : '';
  const what = sub ? `${sub.name} of the specified ${r.kind}` : `the specified ${r.kind}`;
  const def = sub?.definition ?? r.definition;
  const gvk = sub?.definition ? gvkOfDefinition(sub.definition) : undefined;
  const verbs = sub ? sub.verbs : (['get', 'put', 'patch', 'delete'] as const);
  const ops: OperationSpec[] = [];
  const extra = gvk ? { gvk } : {};
  for (const verb of verbs) {
    const id = `${r.kind}${suffix}`;
    if (verb === 'get') {
      ops.push(
        op({
          method: 'get',
          operationId: `read${idPart}${ns}${id}`,
          description: `read ${what}`,
          action: 'get',
          query: [],
          response: def,
          ...extra,
        }),
      );
    } else if (verb === 'put') {
      ops.push(
        op({
          method: 'put',
          operationId: `replace${idPart}${ns}${id}`,
          description: `replace ${what}`,
          action: 'put',
          query: WRITE_PARAMS,
          body: def,
          response: def,
          ...extra,
        }),
      );
    } else if (verb === 'patch') {
      ops.push(
        op({
          method: 'patch',
          operationId: `patch${idPart}${ns}${id}`,
          description: `partially update ${what}`,
          action: 'patch',
          query: [...WRITE_PARAMS, FORCE],
          body: `${META}Patch`,
          response: def,
          ...extra,
        }),
      );
    } else if (verb === 'post') {
      ops.push(
        op({
          method: 'post',
          operationId: `create${idPart}${ns}${id}`,
          description: `create ${sub?.name ?? ''} of a ${r.kind}`,
          action: 'post',
          query: WRITE_PARAMS,
          body: def,
          response: def,
          ...extra,
        }),
      );
    } else if (verb === 'delete') {
      ops.push(
        op({
          method: 'delete',
          operationId: `delete${idPart}${ns}${id}`,
          description: `delete ${what}`,
          action: 'delete',
          query: DELETE_PARAMS,
          body: `${META}DeleteOptions`,
          response: `${META}Status`,
          ...extra,
        }),
      );
    }
  }
  return ops;
}

/** "io.k8s.api.autoscaling.v1.Scale" → {group: "autoscaling", version: "v1", kind: "Scale"}. */
export function gvkOfDefinition(def: string): GroupVersionKind {
  const parts = def.split('.');
  const kind = parts[parts.length - 1];
  const version = parts[parts.length - 2];
  const pkg = parts[parts.length - 3];
  const groups: Record<string, string> = {
    core: '',
    networking: 'networking.k8s.io',
    discovery: 'discovery.k8s.io',
    coordination: 'coordination.k8s.io',
    storage: 'storage.k8s.io',
    events: 'events.k8s.io',
    rbac: 'rbac.authorization.k8s.io',
    authentication: 'authentication.k8s.io',
    authorization: 'authorization.k8s.io',
    scheduling: 'scheduling.k8s.io',
    node: 'node.k8s.io',
  };
  return { group: groups[pkg] ?? pkg, version, kind };
}
