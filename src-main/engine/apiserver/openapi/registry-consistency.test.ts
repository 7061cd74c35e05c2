import { describe, expect, it } from 'vitest';
import { resourceDefinitions } from '../registry/index';
import { apiVersionOf } from '../registry/types';
import { hasSchema } from './index';
import { SERVED_GROUP_VERSIONS } from './served-resources';

describe('published OpenAPI matches the registry', () => {
  it('has a schema and paths for every resource the registry serves', () => {
    const missing: string[] = [];
    for (const def of resourceDefinitions) {
      const served = SERVED_GROUP_VERSIONS.find(
        (g) => g.group === def.group && g.version === def.version,
      )?.resources.find((r) => r.plural === def.plural);
      if (!served || !hasSchema(apiVersionOf(def), def.kind))
        missing.push(`${apiVersionOf(def)} ${def.plural}`);
      for (const sub of def.subresources) {
        if (
          served &&
          !served.subresources.some((s) => s.name === sub.name) &&
          !served.connect.some((c) => c.name === sub.name)
        ) {
          missing.push(`${apiVersionOf(def)} ${def.plural}/${sub.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
