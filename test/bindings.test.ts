import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Agent, EksAccessRole, EksAccessRoleProps, KubernetesClusterRole, SessionBinding, SessionNameMacro, SessionNameRestriction } from '../src';
import { AGENT_ARN, importedClusterStack, manifestObjects } from './util';

const RBAC = 'rbac.authorization.k8s.io';

function synth(props: Partial<EksAccessRoleProps>, after?: (access: EksAccessRole) => void) {
  const { stack, cluster } = importedClusterStack();
  const access = new EksAccessRole(stack, 'Access', { cluster, agents: [Agent.fromArn(AGENT_ARN)], ...props });
  after?.(access);
  const template = Template.fromStack(stack);
  return { access, template, objects: manifestObjects(template) };
}

function names(objects: any[]): string[] {
  return objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'} ${o.metadata.name}`).sort();
}

describe('bindings', () => {
  test('binds one session to several ClusterRoles with one ClusterRoleBinding each', () => {
    // WHEN
    const { objects } = synth({
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW, KubernetesClusterRole.fromName('log-reader')] }],
    });

    // THEN
    expect(names(objects)).toEqual([
      'ClusterRoleBinding - eks-access-role-developers-log-reader-41032acb',
      'ClusterRoleBinding - eks-access-role-developers-view-44ef8a61',
    ]);
    expect(objects.map((o) => o.roleRef)).toEqual(expect.arrayContaining([
      { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
      { apiGroup: RBAC, kind: 'ClusterRole', name: 'log-reader' },
    ]));
  });

  test('binds a ClusterRole in each namespace with RoleBindings and no Namespace objects', () => {
    // WHEN
    const { objects } = synth({
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.EDIT], namespaces: ['dev', 'staging'] }],
    });

    // THEN
    expect(names(objects)).toEqual([
      'RoleBinding dev eks-access-role-developers-edit-f21a85ea',
      'RoleBinding staging eks-access-role-developers-edit-f21a85ea',
    ]);
    for (const binding of objects) {
      expect(binding.roleRef).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name: 'edit' });
      expect(binding.subjects).toEqual([{ apiGroup: RBAC, kind: 'User', name: 'eks-access-role:developers' }]);
    }
  });

  test('creates the namespaces when asked, in a manifest applied before the bindings', () => {
    // WHEN
    const { template, objects } = synth({
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.EDIT], namespaces: ['dev'], createNamespaces: true }],
    });

    // THEN
    expect(names(objects)).toEqual(['Namespace - dev', 'RoleBinding dev eks-access-role-developers-edit-f21a85ea']);
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const namespaceId = Object.keys(manifests).find((id) => id.startsWith('AccessRbacNamespaces'))!;
    const bindingId = Object.keys(manifests).find((id) => id !== namespaceId)!;
    expect(manifests[bindingId].DependsOn).toEqual([namespaceId]);
  });

  test('creates a least-privilege ClusterRole from rules and binds it cluster-wide', () => {
    // WHEN
    const { objects } = synth({
      bindings: [{
        sessionName: 'support',
        rules: [
          { resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'], resourceNames: ['web'] },
        ],
      }],
    });

    // THEN
    const role = objects.find((o) => o.kind === 'ClusterRole');
    expect(role.metadata.name).toBe('eks-access-role-support-rules-9ff78329');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], resourceNames: [], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/log'], resourceNames: [], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get'] },
    ]);
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ apiGroup: RBAC, kind: 'User', name: 'eks-access-role:support' }]);
  });

  test('creates a least-privilege Role in each namespace from rules and binds it there', () => {
    // WHEN
    const { objects } = synth({
      bindings: [{ sessionName: 'support', namespaces: ['dev', 'prod'], rules: [{ resources: ['pods'], verbs: ['get'] }] }],
    });

    // THEN
    const roles = objects.filter((o) => o.kind === 'Role');
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['dev', 'prod']);
    expect(roles[0].rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    const bindings = objects.filter((o) => o.kind === 'RoleBinding');
    expect(bindings.map((b) => [b.metadata.namespace, b.roleRef])).toEqual(expect.arrayContaining([
      ['dev', { apiGroup: RBAC, kind: 'Role', name: roles[0].metadata.name }],
      ['prod', { apiGroup: RBAC, kind: 'Role', name: roles[0].metadata.name }],
    ]));
  });

  test('renders subjects with User and Group kinds, the RBAC apiGroup and no namespace', () => {
    // WHEN
    const { objects } = synth({
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW], namespaces: ['dev'] }],
      groupBindings: [{ groupName: 'platform-viewers', clusterRoles: [KubernetesClusterRole.VIEW] }],
    });

    // THEN
    const subjects = objects.flatMap((o) => o.subjects ?? []);
    expect(subjects).toEqual(expect.arrayContaining([
      { apiGroup: RBAC, kind: 'User', name: 'eks-access-role:developers' },
      { apiGroup: RBAC, kind: 'Group', name: 'platform-viewers' },
    ]));
    expect(subjects.every((s) => s.namespace === undefined)).toBe(true);
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding').every((o) => o.metadata.namespace === undefined)).toBe(true);
  });

  test('adds bound groups to the access entry and binds Group subjects', () => {
    // WHEN
    const { template, objects } = synth({
      sessionNames: SessionNameRestriction.any(),
      groupBindings: [{ groupName: 'platform-viewers', clusterRoles: [KubernetesClusterRole.VIEW] }],
    }, (access) => access.addGroupBinding({ groupName: 'platform-editors', clusterRoles: [KubernetesClusterRole.EDIT], namespaces: ['dev'] }));

    // THEN
    template.hasResourceProperties('AWS::EKS::AccessEntry', { KubernetesGroups: ['platform-viewers', 'platform-editors'] });
    expect(names(objects)).toEqual([
      'ClusterRoleBinding - eks-access-role-group-platform-viewers-view-59415153',
      'RoleBinding dev eks-access-role-group-platform-editors-edit-fa46c353',
    ]);
  });

  test('renders EKS access policies with cluster and namespace scope on the access entry', () => {
    // WHEN
    const { template } = synth({
      sessionNames: SessionNameRestriction.any(),
      accessPolicies: [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
      ],
    }, (access) => access.addAccessPolicy(
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: ['dev-*'] }),
    ));

    // THEN
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      AccessPolicies: [
        { PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy']] }, AccessScope: { Type: 'cluster' } },
        {
          PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSEditPolicy']] },
          AccessScope: { Type: 'namespace', Namespaces: ['dev-*'] },
        },
      ],
    });
  });

  test('applies bindings added with addBinding after construction', () => {
    // WHEN
    const { access, objects } = synth({}, (a) => {
      a.addBinding({ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] });
      a.addBinding({ sessionName: 'admins', clusterRoles: [KubernetesClusterRole.CLUSTER_ADMIN] });
    });

    // THEN
    expect(access.sessionNames).toEqual(['developers', 'admins']);
    expect(objects.flatMap((o) => o.subjects.map((s: any) => s.name)).sort()).toEqual(['eks-access-role:admins', 'eks-access-role:developers']);
  });
});

describe('username templates', () => {
  const email: SessionBinding = { sessionName: 'alice@example.com', clusterRoles: [KubernetesClusterRole.VIEW] };

  test('keeps @ in the user with {{SessionNameRaw}} (the default)', () => {
    // WHEN
    const { access, template, objects } = synth({ bindings: [email] });

    // THEN
    template.hasResourceProperties('AWS::EKS::AccessEntry', { Username: 'eks-access-role:{{SessionNameRaw}}' });
    expect(objects[0].subjects[0].name).toBe('eks-access-role:alice@example.com');
    expect(access.usernameFor('alice@example.com')).toBe('eks-access-role:alice@example.com');
  });

  test('replaces @ with - in the user with {{SessionName}}, as EKS does', () => {
    // WHEN
    const { access, template, objects } = synth({ bindings: [email], sessionNameMacro: SessionNameMacro.SESSION_NAME });

    // THEN
    template.hasResourceProperties('AWS::EKS::AccessEntry', { Username: 'eks-access-role:{{SessionName}}' });
    expect(objects[0].subjects[0].name).toBe('eks-access-role:alice-example.com');
    expect(access.usernameFor('alice@example.com')).toBe('eks-access-role:alice-example.com');
  });

  test('never writes a {{ or }} into a manifest', () => {
    // WHEN
    const { template } = synth({
      bindings: [email, { sessionName: 'ops', rules: [{ resources: ['pods'], verbs: ['get'] }], namespaces: ['dev'], createNamespaces: true }],
      groupBindings: [{ groupName: 'viewers', clusterRoles: [KubernetesClusterRole.VIEW] }],
      sessionNameMacro: SessionNameMacro.SESSION_NAME,
    });

    // THEN
    const strings = (v: any): string[] => (typeof v === 'string' ? [v] : typeof v === 'object' && v ? Object.entries(v).flat().flatMap(strings) : []);
    const values = manifestObjects(template).flatMap(strings);
    expect(values).toContain('eks-access-role:alice-example.com');
    expect(values.filter((v) => v.includes('{{') || v.includes('}}'))).toEqual([]);
  });
});

describe('object names', () => {
  test('are lowercase DNS-1123 labels, distinct for sessions that differ only in dropped characters', () => {
    // WHEN
    const { objects } = synth({
      bindings: [
        { sessionName: 'alice@example.com', clusterRoles: [KubernetesClusterRole.VIEW] },
        { sessionName: 'alice-example.com', clusterRoles: [KubernetesClusterRole.VIEW] },
        { sessionName: 'Alice_Example.com', clusterRoles: [KubernetesClusterRole.VIEW] },
      ],
    });

    // THEN
    const objectNames = objects.map((o) => o.metadata.name);
    expect(new Set(objectNames).size).toBe(3);
    for (const name of objectNames) {
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });

  test('stay within 63 characters for the longest session name', () => {
    // WHEN
    const { objects } = synth({ bindings: [{ sessionName: 'x'.repeat(64), clusterRoles: [KubernetesClusterRole.fromName('a'.repeat(200))] }] });

    // THEN
    expect(objects[0].metadata.name).toMatch(/^eks-access-role-x+-[0-9a-f]{8}$/);
    expect(objects[0].metadata.name.length).toBeLessThanOrEqual(63);
  });

  test('change when the referenced role changes, since roleRef is immutable', () => {
    // WHEN
    const view = synth({ bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }] }).objects[0];
    const edit = synth({ bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.EDIT] }] }).objects[0];

    // THEN
    expect(view.metadata.name).not.toEqual(edit.metadata.name);
  });

  test('do not change when the username template changes the subject', () => {
    // WHEN
    const raw = synth({ bindings: [{ sessionName: 'a@b.c', clusterRoles: [KubernetesClusterRole.VIEW] }] }).objects[0];
    const dashed = synth({ bindings: [{ sessionName: 'a@b.c', clusterRoles: [KubernetesClusterRole.VIEW] }], sessionNameMacro: SessionNameMacro.SESSION_NAME }).objects[0];

    // THEN
    expect(raw.subjects).not.toEqual(dashed.subjects);
    expect(raw.metadata.name).toEqual(dashed.metadata.name);
  });

  test('keep every other binding in its manifest resource when one binding is added', () => {
    // GIVEN
    const sessions = Array.from({ length: 40 }, (_, i) => `user${i}`);
    const placement = (bound: string[]) => {
      const { template } = synth({ bindings: bound.map((sessionName) => ({ sessionName, clusterRoles: [KubernetesClusterRole.VIEW] })) });
      const where = new Map<string, string>();
      for (const [id, r] of Object.entries<any>(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))) {
        for (const o of JSON.parse(r.Properties.Manifest)) {
          where.set(o.subjects[0].name, id);
        }
      }
      return where;
    };

    // WHEN
    const before = placement(sessions);
    const after = placement([...sessions.slice(0, 20), 'newcomer', ...sessions.slice(20)]);

    // THEN
    for (const [user, id] of before) {
      expect([user, after.get(user)]).toEqual([user, id]);
    }
  });
});

describe('access policy validation', () => {
  const view = (type: eks.AccessScopeType, namespaces?: string[]) => eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: type, namespaces });

  test('fails for a namespace scope without namespaces', () => {
    expect(() => synth({ accessPolicies: [view(eks.AccessScopeType.NAMESPACE)] })).toThrow(
      'Stack/Access: accessPolicies[0]: {"policy":"AmazonEKSViewPolicy","scope":"namespace","namespaces":[]} is invalid. ' +
      'A namespace-scoped access policy needs at least one namespace. ' +
      'Fix: list the namespaces (wildcards such as "dev-*" are allowed), or use AccessScopeType.CLUSTER. ' +
      'See https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
    );
  });

  test('fails for a cluster scope with namespaces', () => {
    expect(() => synth({ accessPolicies: [view(eks.AccessScopeType.CLUSTER, ['dev'])] })).toThrow(
      'accessPolicies[0]: {"policy":"AmazonEKSViewPolicy","scope":"cluster","namespaces":["dev"]} is invalid. ' +
      'A cluster-scoped access policy applies to every namespace and takes no namespaces.',
    );
  });

  test('fails for the same policy twice', () => {
    expect(() => synth({ accessPolicies: [view(eks.AccessScopeType.CLUSTER), view(eks.AccessScopeType.NAMESPACE, ['dev'])] })).toThrow(
      'accessPolicies[1]: {"policy":"AmazonEKSViewPolicy","scope":"namespace","namespaces":["dev"]} is invalid. ' +
      'Each access policy can be attached to an access entry once.',
    );
  });

  test('fails for a 21st policy', () => {
    const policies = Array.from({ length: 21 }, (_, i) =>
      eks.AccessPolicy.fromAccessPolicyName(`Policy${i}`, { accessScopeType: eks.AccessScopeType.CLUSTER }));
    expect(() => synth({ accessPolicies: policies })).toThrow(
      'accessPolicies[20]: {"policy":"Policy20","scope":"cluster","namespaces":[]} is invalid. An access entry holds at most 20 access policies.',
    );
  });
});

describe('names of bindings to roles made from rules', () => {
  test('say "rules" once instead of repeating the generated role name', () => {
    const { objects } = synth({ bindings: [{ sessionName: 'support', rules: [{ resources: ['pods'], verbs: ['get'] }] }] });
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding');
    expect(binding.metadata.name).toMatch(/^eks-access-role-support-rules-[0-9a-f]{8}$/);
    expect(binding.metadata.name).not.toEqual(binding.roleRef.name);
  });
});
