import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdk8s from 'cdk8s';
import { assertValidKubernetesObjects, knownKindCount, kubernetesSchemaErrors } from './helpers/kubernetes-schema';
import { IMPORTED_CLUSTER, SCENARIOS } from './helpers/scenarios';
import { manifestObjects, newApp } from './util';

// Every object the construct hands to kubectl, validated against the Kubernetes OpenAPI models of kubernetes-models@4.
describe('Kubernetes objects of EksAccessRole', () => {
  test('are checked against a populated set of models', () => {
    expect(knownKindCount()).toBeGreaterThan(200);
  });

  describe.each(SCENARIOS)('$name', (scenario) => {
    // GIVEN
    const app = newApp();
    const { stack } = scenario.build(app);

    // WHEN: the objects applied with kubectl and those written as GitOps YAML
    const applied = manifestObjects(Template.fromStack(stack));
    const directory = app.synth().directory;
    const written = fs.readdirSync(directory).filter((f) => f.endsWith('.k8s.yaml')).flatMap((f) => cdk8s.Yaml.load(path.join(directory, f)));
    const objects = [...applied, ...written];

    test('validate against the Kubernetes OpenAPI schema', () => {
      expect(() => assertValidKubernetesObjects(objects)).not.toThrow();
    });
  });

  test('cover every kind the construct can emit', () => {
    // GIVEN
    const { stack } = IMPORTED_CLUSTER.build(newApp());

    // WHEN
    const objects = manifestObjects(Template.fromStack(stack));

    // THEN
    expect([...new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))].sort()).toEqual([
      'rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding',
      'v1/Namespace',
    ]);
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });

  describe('catches a deliberate defect', () => {
    test('fails on a ClusterRoleBinding without roleRef', () => {
      // GIVEN
      const { access, stack } = IMPORTED_CLUSTER.build(newApp());

      // WHEN
      new cdk8s.ApiObject(access.chart, 'Broken', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'broken' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'eks-access-role:developers' }],
      } as cdk8s.ApiObjectProps);
      const objects = manifestObjects(Template.fromStack(stack));

      // THEN
      expect(() => assertValidKubernetesObjects(objects)).toThrow(
        '1 Kubernetes schema error(s):\n  ClusterRoleBinding/broken: data must have required property roleRef',
      );
    });

    test('fails on a kind no Kubernetes model defines', () => {
      // GIVEN
      const { access, stack } = IMPORTED_CLUSTER.build(newApp());

      // WHEN
      new cdk8s.ApiObject(access.chart, 'Unknown', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBindingz',
        metadata: { name: 'unknown' },
      });
      const objects = manifestObjects(Template.fromStack(stack));

      // THEN
      expect(() => assertValidKubernetesObjects(objects)).toThrow(
        '1 Kubernetes schema error(s):\n  ClusterRoleBindingz/unknown: unknown kind rbac.authorization.k8s.io/v1/ClusterRoleBindingz: '
        + 'no Kubernetes OpenAPI model defines it',
      );
    });

    test('fails when there is nothing to validate', () => {
      expect(() => assertValidKubernetesObjects([])).toThrow('no Kubernetes objects to validate');
    });
  });
});
