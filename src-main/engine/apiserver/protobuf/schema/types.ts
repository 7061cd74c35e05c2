/**
 * The field tables that describe the Kubernetes protobuf encoding, in a compact form of our own.
 *
 * Each message maps a protobuf field number to `[jsonName, type]` (or `[jsonName, type, 'inline']`
 * for Go structs embedded with `json:",inline"`, whose fields JSON flattens into the parent).
 *
 * Type grammar:
 * - scalars: `string`, `bool`, `int32`, `int64`, `double`, `bytes` (bytes become base64 strings, as
 *   Go's JSON encoding prints `[]byte`). A trailing `*` marks a field whose zero value JSON still
 *   prints: a Go pointer (`*int32`, `*bool`, …) or a field without `omitempty`. Without `*`, a zero
 *   value on the wire is dropped, as `omitempty` drops it.
 * - `[]T`: repeated; `map<string,T>`: a map with string keys.
 * - a message: `Name` (same package) or `pkg.Name` (another package, see `registry.ts`).
 * - well-known apimachinery types with their own JSON form: `Time`, `MicroTime`, `Duration`,
 *   `Quantity`, `IntOrString`, `RawExtension`, `FieldsV1`.
 *
 * Field numbers and names come from the upstream `generated.proto` files of k8s.io/api and
 * k8s.io/apimachinery; pointer-ness and `omitempty` from the Go types they are generated from.
 */
export type FieldSpec =
  readonly [json: string, type: string] | readonly [json: string, type: string, inline: 'inline'];

export type MessageFields = Readonly<Record<number, FieldSpec>>;

export type MessageTable = Readonly<Record<string, MessageFields>>;

/** The top-level kinds a package serves, per group/version. */
export interface PackageSchema {
  /** Short package name used in cross-package references, e.g. `core`, `apps`. */
  name: string;
  messages: MessageTable;
  /** `apiVersion` → kinds encoded by the message of the same name. */
  kinds: Readonly<Record<string, readonly string[]>>;
}
