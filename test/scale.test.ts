import * as fs from 'fs';
import { Template } from 'aws-cdk-lib/assertions';
import { KubernetesClusterRole, SessionBinding, SessionNameRestriction } from '../src';
import { buildAccess, importedClusterStack, newApp } from './util';

/** One session name per person: the team size this file checks. */
const N = 1000;
const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';

function binding(i: number): SessionBinding {
  return { sessionName: `person-${String(i).padStart(4, '0')}@example.com`, clusterRoles: [KubernetesClusterRole.VIEW] };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Synthesizes the bindings and returns the template, plus its size in bytes as written to the cloud assembly. */
function synth(bindings: SessionBinding[]): { template: any; bytes: number } {
  const app = newApp();
  // 1,000 names cannot be listed in a trust policy: teams this size pin session names with a pattern.
  const { stack } = buildAccess({ bindings, sessionNames: SessionNameRestriction.matching('*@example.com') }, importedClusterStack(app));
  const artifact = app.synth().getStackByName(stack.stackName);
  return { template: artifact.template, bytes: fs.statSync(artifact.templateFullPath).size };
}

function manifests(template: any): Record<string, any> {
  return Template.fromJSON(template).findResources(MANIFEST);
}

/** Each Kubernetes object (kind/namespace/name) mapped to the logical id of the manifest resource that applies it. */
function resourceOfEachObject(template: any): Map<string, string> {
  const owner = new Map<string, string>();
  for (const [id, resource] of Object.entries(manifests(template))) {
    for (const o of JSON.parse(resource.Properties.Manifest)) {
      owner.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, id);
    }
  }
  return owner;
}

/** The manifest resources whose properties differ between two templates. */
function changedManifests(before: any, after: any): string[] {
  const a = manifests(before);
  const b = manifests(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((id) => JSON.stringify(a[id]) !== JSON.stringify(b[id]));
}

describe('scale', () => {
  describe(`${N} session bindings`, () => {
    let template: any;
    let bytes: number;

    beforeAll(() => {
      ({ template, bytes } = synth(range(0, N).map(binding)));
    });

    test('keeps the template under CloudFormation\'s 1 MB limit', () => {
      // THEN: the file CDK uploads, pretty-printed as written to the cloud assembly.
      expect(bytes).toBeLessThan(1_000_000);
    });

    test('creates no CloudFormation resource per binding', () => {
      // THEN: the role, the access entry, the kubectl provider stack and at most 16 manifests, far below 500.
      expect(Object.keys(manifests(template)).length).toBeLessThanOrEqual(16);
      expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(16 + 4);
    });

    test('applies every binding exactly once', () => {
      // THEN
      const objects = Object.values(manifests(template)).flatMap((r) => JSON.parse(r.Properties.Manifest));
      expect(objects.length).toBe(N);
      expect(new Set(objects.map((o) => o.metadata.name)).size).toBe(N);
    });

    test('keeps each manifest resource under 100 KB of properties', () => {
      // THEN: an update event carries the old and the new properties, and Lambda takes at most 256 KB.
      const sizes = Object.entries(manifests(template)).map(([id, r]) => ({ id, size: Buffer.byteLength(JSON.stringify(r.Properties)) }));
      expect(sizes.filter(({ size }) => size >= 100 * 1024)).toEqual([]);
    });

    test('creates one access entry', () => {
      // THEN
      Template.fromJSON(template).resourceCountIs('AWS::EKS::AccessEntry', 1);
    });

    test('adding a binding changes only the manifest resource it lands in', () => {
      // WHEN: the new binding comes first, so a split by position would shift every other binding.
      const after = synth([N, ...range(0, N)].map(binding)).template;

      // THEN
      const before = resourceOfEachObject(template);
      const now = resourceOfEachObject(after);
      const added = [...now.keys()].filter((key) => !before.has(key));
      expect(added).toHaveLength(1);
      expect([...before].filter(([key, id]) => now.get(key) !== id)).toEqual([]);
      expect(changedManifests(template, after)).toEqual([now.get(added[0])]);
    });

    test('removing a binding changes only the manifest resource it left', () => {
      // WHEN
      const after = synth(range(0, N).filter((i) => i !== N / 2).map(binding)).template;

      // THEN
      const before = resourceOfEachObject(template);
      const now = resourceOfEachObject(after);
      const removed = [...before.keys()].filter((key) => !now.has(key));
      expect(removed).toHaveLength(1);
      expect([...now].filter(([key, id]) => before.get(key) !== id)).toEqual([]);
      expect(changedManifests(template, after)).toEqual([before.get(removed[0])]);
    });
  });
});

describe('the trust policy at 1,000 session names', () => {
  test('fails clearly when the names are listed one by one, and says to use a pattern', () => {
    // GIVEN
    const { stack } = buildAccess({ bindings: range(0, N).map(binding) }, importedClusterStack(newApp()));

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(
      /sessionNames: "\d+ characters" is invalid\. The trust policy would be \d+ characters without white space, over the 2048 IAM accepts\. Fix: pin session names with SessionNameRestriction\.matching/,
    );
  });

  test('stays within 2,048 characters with a pattern', () => {
    // GIVEN
    const { template } = synth(range(0, N).map(binding));

    // THEN
    const [role] = Object.values<any>(Template.fromJSON(template).findResources('AWS::IAM::Role'));
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument).length).toBeLessThan(2048);
  });
});
