import protobuf from 'protobufjs';

/**
 * Encodes a Swagger 2.0 document as gnostic's `openapi.v2.Document` protobuf message, the
 * form kubectl asks for with `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`.
 * Field numbers follow gnostic's OpenAPIv2.proto. Vendor extensions and free-form values
 * (default, example, enum) travel as `Any{yaml}`; JSON text is valid YAML, so they are
 * written as JSON.
 */

type Json = Record<string, unknown>;
type W = protobuf.Writer;

const LEN = 2;
const VARINT = 0;
const I64 = 1;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(w: W, field: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.uint32((field << 3) | LEN).string(v);
}

function bool(w: W, field: number, v: unknown): void {
  if (v === true) w.uint32((field << 3) | VARINT).bool(true);
}

function dbl(w: W, field: number, v: unknown): void {
  if (typeof v === 'number') w.uint32((field << 3) | I64).double(v);
}

function int64(w: W, field: number, v: unknown): void {
  if (typeof v === 'number') w.uint32((field << 3) | VARINT).int64(v);
}

function strs(w: W, field: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.uint32((field << 3) | LEN).string(s);
}

function msg(w: W, field: number, encode: (w: W) => void): void {
  w.uint32((field << 3) | LEN).fork();
  encode(w);
  w.ldelim();
}

/** `Any { string yaml = 2; }` */
function anyValue(w: W, field: number, v: unknown): void {
  msg(w, field, (m) => str(m, 2, JSON.stringify(v)));
}

/** `repeated NamedAny vendor_extension` from the object's `x-` keys. */
function vendorExtensions(w: W, field: number, obj: Json): void {
  for (const [k, v] of Object.entries(obj)) {
    if (!k.startsWith('x-')) continue;
    msg(w, field, (m) => {
      str(m, 1, k);
      anyValue(m, 2, v);
    });
  }
}

function schema(w: W, s: Json): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  if (s.default !== undefined) anyValue(w, 5, s.default);
  dbl(w, 6, s.multipleOf);
  dbl(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  dbl(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int64(w, 11, s.maxLength);
  int64(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int64(w, 14, s.maxItems);
  int64(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int64(w, 17, s.maxProperties);
  int64(w, 18, s.minProperties);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) anyValue(w, 20, e);
  const ap = s.additionalProperties;
  if (isObj(ap)) msg(w, 21, (m) => msg(m, 1, (mm) => schema(mm, ap)));
  else if (typeof ap === 'boolean') msg(w, 21, (m) => m.uint32((2 << 3) | VARINT).bool(ap));
  if (typeof s.type === 'string') msg(w, 22, (m) => str(m, 1, s.type));
  const items = s.items;
  if (isObj(items)) msg(w, 23, (m) => msg(m, 1, (mm) => schema(mm, items)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) msg(w, 24, (m) => schema(m, a));
  const props = s.properties;
  if (isObj(props)) {
    msg(w, 25, (m) => {
      for (const [name, p] of Object.entries(props)) {
        if (!isObj(p)) continue;
        msg(m, 1, (np) => {
          str(np, 1, name);
          msg(np, 2, (sp) => schema(sp, p));
        });
      }
    });
  }
  bool(w, 27, s.readOnly);
  if (s.example !== undefined) anyValue(w, 30, s.example);
  vendorExtensions(w, 31, s);
}

/** One entry of `Operation.parameters` / `PathItem.parameters` (a ParametersItem). */
function parametersItem(w: W, field: number, p: Json): void {
  msg(w, field, (item) => {
    if (typeof p.$ref === 'string') {
      msg(item, 2, (ref) => str(ref, 1, p.$ref));
      return;
    }
    msg(item, 1, (param) => {
      if (p.in === 'body') {
        msg(param, 1, (b) => {
          str(b, 1, p.description);
          str(b, 2, p.name);
          str(b, 3, p.in);
          bool(b, 4, p.required);
          if (isObj(p.schema)) msg(b, 5, (sm) => schema(sm, p.schema as Json));
          vendorExtensions(b, 6, p);
        });
        return;
      }
      // NonBodyParameter oneof: header 1, formData 2, query 3, path 4. All four sub-schemas
      // share the leading field numbers used here (required 1, in 2, description 3, name 4).
      const which = p.in === 'header' ? 1 : p.in === 'formData' ? 2 : p.in === 'path' ? 4 : 3;
      msg(param, 2, (nb) =>
        msg(nb, which, (sub) => {
          bool(sub, 1, p.required);
          str(sub, 2, p.in);
          str(sub, 3, p.description);
          str(sub, 4, p.name);
          // Query/formData carry allow_empty_value at 5, shifting type/format/unique_items by one.
          const shift = which === 2 || which === 3 ? 1 : 0;
          str(sub, 5 + shift, p.type);
          str(sub, 6 + shift, p.format);
          bool(sub, 19 + shift, p.uniqueItems);
        }),
      );
    });
  });
}

function responses(w: W, field: number, rs: Json): void {
  msg(w, field, (m) => {
    for (const [code, r] of Object.entries(rs)) {
      if (!isObj(r)) continue;
      msg(m, 1, (named) => {
        str(named, 1, code);
        msg(named, 2, (rv) =>
          msg(rv, 1, (resp) => {
            str(resp, 1, r.description);
            if (isObj(r.schema)) msg(resp, 2, (si) => msg(si, 1, (sm) => schema(sm, r.schema as Json)));
            vendorExtensions(resp, 5, r);
          }),
        );
      });
    }
  });
}

function operation(w: W, op: Json): void {
  strs(w, 1, op.tags);
  str(w, 2, op.summary);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObj(p)) parametersItem(w, 8, p);
  if (isObj(op.responses)) responses(w, 9, op.responses);
  strs(w, 10, op.schemes);
  bool(w, 11, op.deprecated);
  vendorExtensions(w, 13, op);
}

const METHOD_FIELDS: Record<string, number> = {
  get: 2,
  put: 3,
  post: 4,
  delete: 5,
  options: 6,
  head: 7,
  patch: 8,
};

function pathItem(w: W, item: Json): void {
  str(w, 1, item.$ref);
  for (const [method, field] of Object.entries(METHOD_FIELDS)) {
    const op = item[method];
    if (isObj(op)) msg(w, field, (m) => operation(m, op));
  }
  if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObj(p)) parametersItem(w, 9, p);
  vendorExtensions(w, 10, item);
}

/** Encodes a whole Swagger 2.0 document as `openapi.v2.Document`. */
export function encodeGnosticDocument(doc: Json): Uint8Array {
  const w = protobuf.Writer.create();
  str(w, 1, doc.swagger);
  const info = doc.info;
  if (isObj(info)) {
    msg(w, 2, (m) => {
      str(m, 1, info.title);
      str(m, 2, info.version);
      str(m, 3, info.description);
      vendorExtensions(m, 7, info);
    });
  }
  str(w, 3, doc.host);
  str(w, 4, doc.basePath);
  strs(w, 5, doc.schemes);
  strs(w, 6, doc.consumes);
  strs(w, 7, doc.produces);
  const paths = doc.paths;
  if (isObj(paths)) {
    msg(w, 8, (m) => {
      for (const [p, item] of Object.entries(paths)) {
        if (!isObj(item)) continue;
        msg(m, 2, (np) => {
          str(np, 1, p);
          msg(np, 2, (pi) => pathItem(pi, item));
        });
      }
    });
  }
  const defs = doc.definitions;
  if (isObj(defs)) {
    msg(w, 9, (m) => {
      for (const [name, s] of Object.entries(defs)) {
        if (!isObj(s)) continue;
        msg(m, 1, (ns) => {
          str(ns, 1, name);
          msg(ns, 2, (sm) => schema(sm, s));
        });
      }
    });
  }
  if (Array.isArray(doc.security)) {
    for (const req of doc.security) {
      if (!isObj(req)) continue;
      msg(w, 12, (m) => {
        for (const [name, scopes] of Object.entries(req)) {
          msg(m, 1, (ns) => {
            str(ns, 1, name);
            msg(ns, 2, (sa) => strs(sa, 1, scopes));
          });
        }
      });
    }
  }
  const sec = doc.securityDefinitions;
  if (isObj(sec)) {
    msg(w, 13, (m) => {
      for (const [name, d] of Object.entries(sec)) {
        if (!isObj(d) || d.type !== 'apiKey') continue;
        msg(m, 1, (ns) => {
          str(ns, 1, name);
          msg(ns, 2, (item) =>
            msg(item, 2, (k) => {
              str(k, 1, d.type);
              str(k, 2, d.name);
              str(k, 3, d.in);
              str(k, 4, d.description);
            }),
          );
        });
      }
    });
  }
  vendorExtensions(w, 16, doc);
  return w.finish();
}
