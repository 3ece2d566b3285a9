// Validates Kubernetes objects against the OpenAPI models of kubernetes-models@4 (Kubernetes 1.27 schemas), the way
// the API server checks required fields and types before it stores an object.
import * as models from 'kubernetes-models';

/** A kubernetes-models class: it knows its apiVersion and kind, and validates an instance against the schema. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: any): { validate(): void };
}

/** Every model of kubernetes-models, by `<apiVersion>/<kind>` (for example `rbac.authorization.k8s.io/v1/RoleBinding`). */
const MODELS: ReadonlyMap<string, ModelClass> = (() => {
  const found = new Map<string, ModelClass>();
  const walk = (exports: any, depth: number) => {
    for (const value of Object.values(exports)) {
      if (typeof value === 'function' && typeof (value as any).apiVersion === 'string' && typeof (value as any).kind === 'string') {
        found.set(`${(value as any).apiVersion}/${(value as any).kind}`, value as unknown as ModelClass);
      } else if (value && typeof value === 'object' && depth < 3) {
        walk(value, depth + 1);
      }
    }
  };
  walk(models, 0);
  return found;
})();

/** How many kinds the models know; a test asserts it so a broken lookup cannot pass as "no errors". */
export function knownKindCount(): number {
  return MODELS.size;
}

/**
 * The schema errors of each object, one line each: `ClusterRoleBinding/broken: data must have required property roleRef`.
 * An object whose apiVersion and kind no model knows is an error too.
 */
export function kubernetesSchemaErrors(objects: any[]): string[] {
  return objects.flatMap((o) => {
    const name = `${o?.kind ?? '<no kind>'}/${o?.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o?.metadata?.name ?? '<no name>'}`;
    const model = MODELS.get(`${o?.apiVersion}/${o?.kind}`);
    if (!model) {
      return [`${name}: unknown kind ${o?.apiVersion}/${o?.kind}: no Kubernetes OpenAPI model defines it`];
    }
    try {
      new model(o).validate();
      return [];
    } catch (e: any) {
      const errors: any[] = e.errors ?? [];
      return errors.length > 0
        ? errors.map((err) => `${name}: data${err.instancePath ?? ''} ${err.message}`)
        : [`${name}: ${e.message}`];
    }
  });
}

/** The check every schema test makes: throws, listing each error, when an object is invalid or there are none to check. */
export function assertValidKubernetesObjects(objects: any[]): void {
  if (objects.length === 0) {
    throw new Error('no Kubernetes objects to validate');
  }
  const errors = kubernetesSchemaErrors(objects);
  if (errors.length > 0) {
    throw new Error(`${errors.length} Kubernetes schema error(s):\n  ${errors.join('\n  ')}`);
  }
}
